from django.apps import AppConfig


class MeasurementsConfig(AppConfig):
    name = "socialvalue.measurements"
    verbose_name = "Progress"
