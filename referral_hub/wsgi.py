import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "referral_hub.settings")
application = get_wsgi_application()

# The persisted operations are checked here, once per served process (about 170 ms for
# the pages' documents), rather than by the first request that names one; a listed
# directory that is missing stops the process at start instead of failing every page.
from schema.core import entry  # noqa: E402  (needs the settings configured above)

entry.persisted()
