from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from referral_hub.accounts.views import (
    LoginView,
    accept_invitation,
    choose_language,
    choose_organisation,
)
from referral_hub.core.views import HubGraphQLView, healthz, livez

# The admin's own sign-in form takes a password alone: it sends people to the hub's
# sign-in (password, then the second factor) instead.
admin.site.login = login_required(admin.site.login)

urlpatterns = [
    # The view checks CSRF itself, only for cookie-authenticated requests (bearer tokens
    # are not sent by browsers on their own, so they need none).
    path("graphql", csrf_exempt(HubGraphQLView.as_view(graphiql=True))),
    # Before allauth's own: the same sign-in, behind the hub's limit on guesses.
    path("accounts/login/", LoginView.as_view(), name="account_login"),
    path("accounts/organisation/", choose_organisation, name="choose-organisation"),
    path("accounts/invitation/<str:secret>/", accept_invitation, name="accept-invitation"),
    # Sign-out, second factors, re-authentication, password reset, sessions (allauth).
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz),
    path("readyz", healthz),
    path("livez", livez),
    path("i18n/setlang/", choose_language, name="set_language"),
    path("", include("referral_hub.web.urls")),
]
