from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "referral_hub.web"
    label = "web"
