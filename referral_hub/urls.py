from django.conf import settings
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import RedirectView

from referral_hub.core.views import HubGraphQLView, healthz

urlpatterns = [
    # Until session login exists (identity issue) the API is token-less and so has no
    # cookie to protect; CSRF is switched back on for session-authenticated POSTs there.
    path("graphql", csrf_exempt(HubGraphQLView.as_view(graphiql=settings.DEBUG))),
    path("healthz", healthz),
    path("", RedirectView.as_view(url="/graphql", permanent=False)),
]
