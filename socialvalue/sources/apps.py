from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "socialvalue.sources"
    label = "sources"
    verbose_name = "Sources of values"
