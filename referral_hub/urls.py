from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from referral_hub.accounts.views import (
    LoginView,
    LogoutView,
    choose_language,
    choose_organisation,
)
from referral_hub.core.views import HubGraphQLView, healthz, livez

urlpatterns = [
    # The view checks CSRF itself, only for cookie-authenticated requests (bearer tokens
    # are not sent by browsers on their own, so they need none).
    path("graphql", csrf_exempt(HubGraphQLView.as_view(graphiql=True))),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path("accounts/organisation/", choose_organisation, name="choose-organisation"),
    path("admin/", admin.site.urls),
    path("healthz", healthz),
    path("readyz", healthz),
    path("livez", livez),
    path("i18n/setlang/", choose_language, name="set_language"),
    path("", include("referral_hub.web.urls")),
]
