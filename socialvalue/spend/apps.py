from django.apps import AppConfig


class SpendConfig(AppConfig):
    name = "socialvalue.spend"
    verbose_name = "Spend figures"
    default_auto_field = "django.db.models.BigAutoField"
