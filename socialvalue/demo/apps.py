from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "socialvalue.demo"
    verbose_name = "Demo"
