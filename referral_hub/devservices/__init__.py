"""Local Neo4j, Redis and Celery processes for development and tests.

Used by the Makefile (`python -m referral_hub.devservices ...`) and by the pytest
fixtures, so both start the services the same way. Production runs these parts
under its own supervisor; nothing here is imported by the web or worker processes.
"""
