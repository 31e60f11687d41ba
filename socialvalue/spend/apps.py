from django.apps import AppConfig


class SpendConfig(AppConfig):
    name = "socialvalue.spend"
    verbose_name = "Spend figures"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from socialvalue.imports.signals import import_done
        from socialvalue.spend.receivers import (
            recompute_after_import,
            recompute_after_register_change,
        )
        from socialvalue.suppliers.signals import register_changed

        import_done.connect(recompute_after_import, dispatch_uid="spend-indicators")
        register_changed.connect(
            recompute_after_register_change, dispatch_uid="spend-indicators-register"
        )
