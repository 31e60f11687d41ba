from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "socialvalue.reminders"
    verbose_name = "Reminders"

    def ready(self):
        # The deploy check that email leaves the server (this app is the one that sends
        # email on a schedule, with nobody watching the terminal).
        from socialvalue.config import mail  # noqa: F401
