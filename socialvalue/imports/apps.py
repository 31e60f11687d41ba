from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "socialvalue.imports"
    verbose_name = "Imports"
