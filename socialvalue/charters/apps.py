from django.apps import AppConfig


class ChartersConfig(AppConfig):
    name = "socialvalue.charters"
    verbose_name = "Charters"
