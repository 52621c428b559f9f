"""Settings for pytest: the same as production's, pointed at the `test` profile's services.

A separate module (not overrides in a fixture) so the Celery worker the tests start
reads exactly the same configuration as the test process.
"""

from referral_hub.devservices.profiles import profile
from referral_hub.settings import *  # noqa: F403

_TEST = profile("test")

NEO4J_URI = _TEST.neo4j_uri
NEO4J_PASSWORD = _TEST.neo4j.password
REDIS_URL = _TEST.redis_url
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only
