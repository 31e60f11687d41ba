"""Background tasks (Django's `django.tasks`, run by django-tasks-db's worker: ADR 018)."""

from django.tasks import task

from socialvalue.imports.services import import_run


@task
def run_import(import_id: int) -> None:
    # Only the import's id travels through the queue: task arguments must be JSON.
    import_run(import_id=import_id)
