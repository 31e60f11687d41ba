"""Checks on uploaded evidence files: type by content (not by name or browser claim), size.

`filetype` reads the file's magic numbers; CSV and plain text have none, so they are
accepted only when their bytes decode as text with no control characters.
"""

from dataclasses import dataclass
from pathlib import PurePath

import filetype

ALLOWED = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
TEXT_EXTENSIONS = {"csv": "text/csv", "txt": "text/plain"}
EXTENSION_ALIASES = {"jpeg": "jpg"}
ALLOWED_DESCRIPTION = "a PDF, image (PNG, JPG, GIF, WebP), office document or CSV"


class EvidenceRejected(ValueError):
    pass


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    size: int


def check_evidence(*, name: str, head: bytes, size: int, max_bytes: int) -> CheckedFile:
    """Accept the file or raise EvidenceRejected with a message naming the file."""
    display = PurePath(name).name or "The file"
    if size == 0:
        raise EvidenceRejected(f"{display} is empty")
    if size > max_bytes:
        raise EvidenceRejected(f"{display} must be smaller than {max_bytes // (1024 * 1024)} MB")
    extension = PurePath(name).suffix.lower().lstrip(".")
    extension = EXTENSION_ALIASES.get(extension, extension)
    kind = filetype.guess(head)
    if kind is not None:
        detected = EXTENSION_ALIASES.get(kind.extension, kind.extension)
        if detected not in ALLOWED:
            raise EvidenceRejected(f"{display} must be {ALLOWED_DESCRIPTION}")
        if extension and extension != detected:
            raise EvidenceRejected(
                f"{display} is named .{extension} but its content is a {detected.upper()} file"
            )
        return CheckedFile(name=display, content_type=ALLOWED[detected], size=size)
    if extension in TEXT_EXTENSIONS and _looks_like_text(head):
        return CheckedFile(name=display, content_type=TEXT_EXTENSIONS[extension], size=size)
    raise EvidenceRejected(f"{display} must be {ALLOWED_DESCRIPTION}")


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        return all(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return False
