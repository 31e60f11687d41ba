"""Background tasks (Django's `django.tasks`, run by django-tasks-db's worker: ADR 018)."""

from django.tasks import task

from socialvalue.imports.models import Import, Kind
from socialvalue.imports.services import import_run


@task
def run_import(import_id: int) -> None:
    # Only the import's id travels through the queue: task arguments must be JSON.
    kind = Import.objects.filter(pk=import_id).values_list("kind", flat=True).first()
    if kind is not None and kind != Kind.SPEND:
        # Workforce equality, outpatient and carbon files (ADR 024).
        from socialvalue.equality.services import equality_import_run

        equality_import_run(import_id=import_id)
        return
    import_run(import_id=import_id)
