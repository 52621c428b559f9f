"""Tsunagari Referral Hub: the Django project, Celery app, accounts and the pure domain rules."""

from referral_hub.celery import app as celery_app

__all__ = ("celery_app",)
