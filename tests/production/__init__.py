"""The production entry point: probes, metrics, logs, deploy checks, gunicorn (issue 18)."""
