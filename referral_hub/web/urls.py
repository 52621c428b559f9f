from django.urls import path

from referral_hub.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("inbox/", views.inbox, name="inbox"),
    path("capacity/", views.capacity, name="capacity"),
    path("services/search/", views.service_search, name="service-search"),
    path("referrals/<uuid:referral_id>/", views.referral, name="referral"),
    path("referrals/<uuid:referral_id>/act/", views.referral_act, name="referral-act"),
    path(
        "referrals/<uuid:referral_id>/withdraw-consent/",
        views.consent_withdraw,
        name="consent-withdraw",
    ),
]
