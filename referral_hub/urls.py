from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt

from referral_hub.accounts.views import (
    LoginView,
    accept_invitation,
    admin_login,
    choose_language,
    choose_organisation,
    not_offered,
)
from referral_hub.core.views import HubGraphQLView, healthz, livez, metrics_view, readyz

# The admin's own sign-in form takes a password alone: it is never shown, and never
# handles one (referral_hub/accounts/views.py). Replaced on the one site instance rather
# than in an AdminSite subclass (which would replace django.contrib.admin in
# INSTALLED_APPS); through setattr, as mypy refuses assigning to a method.
setattr(admin.site, "login", admin_login)  # noqa: B010 - see above

urlpatterns = [
    # The view checks CSRF itself, only for cookie-authenticated requests (bearer tokens
    # are not sent by browsers on their own, so they need none).
    path("graphql", csrf_exempt(HubGraphQLView.as_view(graphiql=True))),
    # Before allauth's own: the same sign-in, behind the hub's limit on guesses.
    path("accounts/login/", LoginView.as_view(), name="account_login"),
    path("accounts/organisation/", choose_organisation, name="choose-organisation"),
    path("accounts/invitation/<str:secret>/", accept_invitation, name="accept-invitation"),
    # Not offered: e-mail addresses are set by the invitation (or an administrator), so a
    # hijacked session cannot point password reset at another mailbox.
    re_path(r"^accounts/email/", not_offered),
    # Sign-out, second factors, re-authentication, password reset, sessions (allauth).
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz),
    path("readyz", readyz),
    path("livez", livez),
    # Not public: a bearer token, or this machine only (core/views.py).
    path("metrics", metrics_view),
    path("i18n/setlang/", choose_language, name="set_language"),
    path("", include("referral_hub.web.urls")),
]
