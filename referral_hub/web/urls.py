from django.urls import path

from referral_hub.web import (
    admin_import,
    admin_locations,
    admin_opportunities,
    admin_partners,
    admin_services,
    admin_tokens,
    audit,
    check_ins,
    coordinator,
    meetings,
    members,
    murmurs,
    new_referral,
    places,
    preferences,
    views,
)

app_name = "web"

# The public place finder: no sign-in, no cookie; the language is in the path.
_PUBLIC = [
    path("places/", places.finder, {"what": "places", "language": "ja"}, name="places"),
    path("places/roles/", places.finder, {"what": "roles", "language": "ja"}, name="places-roles"),
    path("places/en/", places.finder, {"what": "places", "language": "en"}, name="places-en"),
    path(
        "places/en/roles/",
        places.finder,
        {"what": "roles", "language": "en"},
        name="places-roles-en",
    ),
]

urlpatterns = [
    *_PUBLIC,
    path("", views.home, name="home"),
    path("inbox/", views.inbox, name="inbox"),
    path("capacity/", views.capacity, name="capacity"),
    path("murmur/", murmurs.murmur, name="murmur"),
    path("check-ins/", check_ins.check_ins, name="check-ins"),
    path("meetings/", meetings.meeting_list, name="meetings"),
    path("meetings/<uuid:meeting_id>/", meetings.meeting, name="meeting"),
    path("members/", members.members_page, name="members"),
    path("organisation/tokens/", admin_tokens.tokens, name="admin-tokens"),
    path("organisation/import/", admin_import.imports, name="admin-imports"),
    path(
        "organisation/import/<uuid:import_id>/",
        admin_import.import_status,
        name="admin-import",
    ),
    path("organisation/partners/", admin_partners.partners, name="admin-partners"),
    path("organisation/locations/", admin_locations.locations, name="admin-locations"),
    path(
        "organisation/locations/<uuid:location_id>/",
        admin_locations.location_edit,
        name="admin-location-edit",
    ),
    path(
        "organisation/locations/<uuid:location_id>/deactivate/",
        admin_locations.location_deactivate,
        name="admin-location-deactivate",
    ),
    path("organisation/services/", admin_services.services, name="admin-services"),
    path("organisation/services/new/", admin_services.service_new, name="admin-service-new"),
    path(
        "organisation/services/<uuid:service_id>/",
        admin_services.service_edit,
        name="admin-service-edit",
    ),
    path(
        "organisation/services/<uuid:service_id>/deactivate/",
        admin_services.service_deactivate,
        name="admin-service-deactivate",
    ),
    path(
        "organisation/opportunities/",
        admin_opportunities.opportunities,
        name="admin-opportunities",
    ),
    path(
        "organisation/opportunities/new/",
        admin_opportunities.opportunity_new,
        name="admin-opportunity-new",
    ),
    path(
        "organisation/opportunities/<uuid:opportunity_id>/",
        admin_opportunities.opportunity_edit,
        name="admin-opportunity-edit",
    ),
    path(
        "organisation/opportunities/<uuid:opportunity_id>/archive/",
        admin_opportunities.opportunity_archive,
        name="admin-opportunity-archive",
    ),
    path("network/", coordinator.network_map, name="network"),
    path(
        "network/organisations/<uuid:organisation_id>/",
        coordinator.map_organisation,
        name="network-organisation",
    ),
    path("coverage/", coordinator.coverage, name="coverage"),
    path("coverage/gap/", coordinator.coverage_gap, name="coverage-gap"),
    path("flows/", coordinator.flows, name="flows"),
    path("routes/", coordinator.routes, name="routes"),
    path("audit/", audit.audit_log, name="audit"),
    path("audit/verify/", audit.verify, name="audit-verify"),
    path("audit/subjects/", audit.disclosure_lookup, name="disclosure-lookup"),
    path(
        "audit/subjects/<uuid:subject_id>/",
        audit.disclosure_record,
        name="disclosure-record",
    ),
    path("reviews/", audit.reviews, name="reviews"),
    path("services/search/", views.service_search, name="service-search"),
    path("referrals/new/", new_referral.pupil, name="new-pupil"),
    path("referrals/new/consent/", new_referral.consent, name="new-consent"),
    path(
        "referrals/new/consent/preview/", new_referral.consent_preview, name="new-consent-preview"
    ),
    path("referrals/new/consent/print/", new_referral.consent_print, name="new-consent-print"),
    path("referrals/new/preference/", preferences.preference, name="new-preference"),
    path("referrals/new/service/", new_referral.service, name="new-service"),
    path("referrals/new/statutory/", new_referral.statutory, name="new-statutory"),
    path("referrals/<uuid:referral_id>/", views.referral, name="referral"),
    path("referrals/<uuid:referral_id>/act/", views.referral_act, name="referral-act"),
    path(
        "referrals/<uuid:referral_id>/withdraw-consent/",
        views.consent_withdraw,
        name="consent-withdraw",
    ),
]
