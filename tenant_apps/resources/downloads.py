"""Streaming a resource's file to someone who may have it: the one way a stored file leaves the server."""

from __future__ import annotations

from django.http import FileResponse, Http404

from tenant_apps.resources.files import file_type, private_storage
from tenant_apps.resources.models import Resource


def file_response(resource: Resource) -> FileResponse:
    """The file as an attachment with its own content type; browsers may not guess another (nosniff).

    The caller has already checked the board and the person's permission to read the resource.
    """
    name = resource.file.name
    if not name:
        raise Http404("This resource has no file.")
    try:
        handle = private_storage().open(name, "rb")
    except FileNotFoundError as missing:
        raise Http404("The file of this resource is missing.") from missing
    kind = file_type(resource.file_name)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=resource.file_name,
        content_type=kind.content_type if kind else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response
