"""Checks that stop a deployment which would fail on every page.

With debug off, pages link static files through the collected manifest
(whitenoise's CompressedManifestStaticFilesStorage); without it every page is a server
error. `socialvalue check --deploy` fails saying what to do, and the WSGI application (so
also `runserver` with debug off) refuses to start for the same reason. It is a deploy check
only, so that `migrate` and other commands still run before `collectstatic`.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages


def missing_static_manifest() -> Path | None:
    """The manifest file that should exist but does not, or None if all is well."""
    storage = storages["staticfiles"]
    if settings.DEBUG or not isinstance(storage, ManifestFilesMixin):
        return None
    manifest = Path(storage.location) / storage.manifest_name
    return None if manifest.exists() else manifest


def _message(manifest: Path) -> str:
    return (
        f"Static files have not been collected ({manifest} is missing), so every page "
        "would fail: run `socialvalue collectstatic`"
    )


@register(deploy=True)
def static_files_collected(app_configs, **kwargs):
    manifest = missing_static_manifest()
    if manifest is None:
        return []
    return [Error(_message(manifest), id="socialvalue.E002")]


def require_collected_static() -> None:
    manifest = missing_static_manifest()
    if manifest is not None:
        raise ImproperlyConfigured(_message(manifest))
