"""Files in the resources library: where they are stored, which are accepted, and how they are described.

Files are kept per board under MEDIA_ROOT (`resources/<schema>/<uuid>/<name>`) and have no public address:
the storage refuses to make a URL, so the only way to a file is the download view, which checks the board
and the person's role first. The board's schema comes from the database connection, never from the request.
"""

from __future__ import annotations

import os
import re
import uuid
from contextlib import suppress
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import connection

MAX_BYTES = 10 * 1024 * 1024
WRONG_TYPE = "The file must be a PDF, Word, Excel, PowerPoint or image file"
TOO_BIG = "The file must be smaller than 10 MB"
EMPTY = "The selected file is empty"
NAME_LENGTH = 120

PDF = b"%PDF-"
ZIP = b"PK\x03\x04"  # Office Open XML and OpenDocument files are zip archives
PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str
    magic: bytes


FILE_TYPES: dict[str, FileType] = {
    ".pdf": FileType("PDF", "application/pdf", PDF),
    ".docx": FileType("Word document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
    ".xlsx": FileType("Excel spreadsheet", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    ".pptx": FileType(
        "PowerPoint presentation", "application/vnd.openxmlformats-officedocument.presentationml.presentation", ZIP
    ),
    ".odt": FileType("OpenDocument text", "application/vnd.oasis.opendocument.text", ZIP),
    ".png": FileType("PNG image", "image/png", PNG),
    ".jpg": FileType("JPEG image", "image/jpeg", JPEG),
    ".jpeg": FileType("JPEG image", "image/jpeg", JPEG),
}
ACCEPT = ",".join(FILE_TYPES)


class PrivateStorage(FileSystemStorage):
    """MEDIA_ROOT on disk, but with no web address: files are only ever streamed by the download view."""

    def url(self, name: str | None) -> str:
        raise ValueError("Resource files have no public address: link to the resource's download view.")


_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    """The storage of resource files (a callable, so migrations name it rather than freeze its settings)."""
    return _storage


def delete_stored(name: str) -> None:
    """Delete a stored file and the folder made for it (each file has a folder of its own)."""
    storage = private_storage()
    storage.delete(name)
    with suppress(OSError):
        os.rmdir(os.path.dirname(storage.path(name)))


def safe_name(name: str) -> str:
    """The file's own name reduced to letters, digits, hyphens and underscores, with its extension kept."""
    base = PurePath(name.replace("\\", "/")).name
    suffix = PurePath(base).suffix
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", base.removesuffix(suffix)).strip("_") or "file"
    suffix = re.sub(r"[^a-z0-9.]+", "", suffix.lower())
    return f"{stem[: NAME_LENGTH - len(suffix)]}{suffix}"


def upload_to(instance: Any, filename: str) -> str:
    """resources/<board schema>/<uuid>/<safe name>: the schema from the connection, never from the request."""
    schema = str(getattr(connection, "schema_name", ""))
    if not schema.startswith("board_"):
        raise ValueError("Resource files belong to a board: save them inside a board's schema.")
    return f"resources/{schema}/{uuid.uuid4()}/{safe_name(filename)}"


def file_type(name: str) -> FileType | None:
    return FILE_TYPES.get(PurePath(name).suffix.lower())


def check_upload(upload: Any) -> None:
    """Refuse a file that is not one of the accepted types (by its extension and its first bytes) or too big."""
    kind = file_type(getattr(upload, "name", "") or "")
    size = getattr(upload, "size", None)
    if kind is None:
        raise ValidationError({"file": [WRONG_TYPE]})
    if size is not None and size > MAX_BYTES:
        raise ValidationError({"file": [TOO_BIG]})
    if not size:
        raise ValidationError({"file": [EMPTY]})
    upload.seek(0)
    head = upload.read(len(kind.magic))
    upload.seek(0)
    if head != kind.magic:
        raise ValidationError({"file": [WRONG_TYPE]})


def size_label(size: int | None) -> str:
    """A file size as people say it: 340 KB, 2.4 MB."""
    if not size:
        return ""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"
