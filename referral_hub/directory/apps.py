from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "referral_hub.directory"
    label = "directory"
    verbose_name = "Directory: uploads of HSDS files"
    default_auto_field = "django.db.models.BigAutoField"
