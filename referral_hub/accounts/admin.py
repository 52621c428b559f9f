from django.contrib import admin

from referral_hub.accounts.models import ApiToken, Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "organisation_id", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "organisation_id")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "kind",
        "user",
        "organisation_id",
        "role",
        "prefix",
        "expires_at",
        "revoked_at",
        "last_used_at",
    )
    list_filter = ("kind", "role")
    search_fields = ("name", "prefix", "user__username")
    # The digest is useless to a human and the secret is never stored: nothing to edit.
    readonly_fields = ("prefix", "digest", "created_at", "last_used_at")
