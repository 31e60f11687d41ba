from django.apps import AppConfig


class EqualityConfig(AppConfig):
    name = "socialvalue.equality"
    verbose_name = "Workforce equality, outpatients and carbon"
