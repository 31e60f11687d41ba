from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "socialvalue.reminders"
    verbose_name = "Reminders"
