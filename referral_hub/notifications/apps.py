from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "referral_hub.notifications"
    label = "notifications"
    verbose_name = "Notifications: e-mail and webhooks"
    default_auto_field = "django.db.models.BigAutoField"
