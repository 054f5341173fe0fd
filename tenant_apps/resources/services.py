"""Every write to the resources library. Each records an audit entry. A file replaced or removed, or the file
of a deleted resource, is deleted from storage only once the change is committed; a file saved by a change
that then fails is deleted straight away, so storage never holds files no resource names."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from shared_apps.audit.services import diff, record
from tenant_apps.resources.files import check_upload, delete_stored, safe_name
from tenant_apps.resources.models import Resource

FIELDS = (
    "title",
    "kind",
    "topic",
    "summary",
    "body",
    "link_url",
    "provider_name",
    "contact_email",
    "website",
    "published",
)
TEXT_FIELDS = ("title", "topic", "summary", "body", "provider_name", "contact_email")
# Set on create or update: an uploaded file, or None on update to remove the file.
FILE = "file"


def _pick(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - {*FIELDS, FILE}
    if unknown:
        raise ValidationError({name: ["This field cannot be set here."] for name in sorted(unknown)})
    for name in TEXT_FIELDS:
        if isinstance(fields.get(name), str):
            fields[name] = fields[name].strip()
    return fields


def missing(resource: Resource, *, has_file: bool) -> dict[str, list[str]]:
    """What the resource lacks, by field: the rules a form can show alongside its own errors."""
    errors: dict[str, list[str]] = {}
    if not resource.title:
        errors["title"] = ["Enter a title"]
    if not resource.kind:
        errors["kind"] = ["Choose what kind of resource this is"]
    if resource.kind == Resource.Kind.RECOMMENDED_PROVIDER and not resource.provider_name:
        errors["provider_name"] = ["Enter the name of the trainer or provider"]
    if not (has_file or resource.link_url or resource.body):
        errors["body"] = ["Add a file, a link or the text of the resource"]
    return errors


def _check(resource: Resource, *, has_file: bool, upload: Any) -> None:
    """Every rule at once, so that a person sees all that is wrong in one go."""
    errors: dict[str, list[str]] = {}
    if upload is not None:
        try:
            check_upload(upload)
        except ValidationError as error:
            errors.update(error.message_dict)
    errors.update(missing(resource, has_file=has_file))
    try:
        resource.full_clean(exclude=["file", *errors], validate_constraints=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)


def _set_published(resource: Resource, published: bool) -> None:
    resource.published = published
    if not published:
        resource.published_on = None
    elif resource.published_on is None:
        resource.published_on = timezone.localdate()


def _delete_file_after_commit(name: str | None) -> None:
    if name:
        transaction.on_commit(lambda: delete_stored(name))


@contextmanager
def _files_kept_only_on_success() -> Iterator[list[str]]:
    """Names stored during the block; if the block fails, they are deleted (the rows naming them are gone)."""
    stored: list[str] = []
    try:
        yield stored
    except BaseException:
        for name in stored:
            delete_stored(name)
        raise


def _store(resource: Resource, upload: Any, stored: list[str]) -> None:
    resource.file_name = safe_name(upload.name)
    resource.file_size = upload.size
    resource.file.save(upload.name, upload, save=False)
    stored.append(resource.file.name or "")


def create_resource(*, actor: Any, **fields: Any) -> Resource:
    fields = _pick(fields)
    upload = fields.pop(FILE, None)
    published = bool(fields.pop("published", False))
    with _files_kept_only_on_success() as stored, transaction.atomic():
        resource = Resource(**fields)
        _check(resource, has_file=upload is not None, upload=upload)
        _set_published(resource, published)
        if upload is not None:
            _store(resource, upload, stored)
        resource.save()
        record(
            "resource.created",
            actor=actor,
            obj=resource,
            summary=f"{resource.get_kind_display()} “{resource.title}” added to the library"
            + (" and published" if published else ""),
        )
    return resource


def update_resource(resource: Resource, *, actor: Any, **fields: Any) -> Resource:
    """Change a resource. `file` replaces the file with an upload, or removes it when None."""
    fields = _pick(fields)
    replace_file = FILE in fields
    upload = fields.pop(FILE, None)
    with _files_kept_only_on_success() as stored, transaction.atomic():
        resource = Resource.objects.select_for_update().get(pk=resource.pk)
        before = {name: getattr(resource, name) for name in FIELDS}
        old_file, old_name = resource.file.name, resource.file_name
        published = fields.pop("published", resource.published)
        for name, value in fields.items():
            setattr(resource, name, value)
        has_file = upload is not None if replace_file else bool(old_file)
        _check(resource, has_file=has_file, upload=upload)
        _set_published(resource, bool(published))
        changed = diff(before, {name: getattr(resource, name) for name in FIELDS})
        if replace_file and (upload is not None or old_file):
            changed["file"] = [old_name or None, safe_name(upload.name) if upload is not None else None]
            if upload is not None:
                _store(resource, upload, stored)
            else:
                resource.file.name, resource.file_name, resource.file_size = "", "", None
            _delete_file_after_commit(old_file)
        if changed:
            resource.save()
            record(
                "resource.updated",
                actor=actor,
                obj=resource,
                changes=changed,
                summary=f"Resource “{resource.title}” changed: {', '.join(changed)}",
            )
    return resource


def publish_resource(resource: Resource, *, actor: Any) -> Resource:
    """Make the resource visible to everyone in the board, from today."""
    with transaction.atomic():
        resource = Resource.objects.select_for_update().get(pk=resource.pk)
        if not resource.published:
            _set_published(resource, True)
            resource.save(update_fields=["published", "published_on", "updated_at"])
            record("resource.published", actor=actor, obj=resource, summary=f"Resource “{resource.title}” published")
    return resource


def unpublish_resource(resource: Resource, *, actor: Any) -> Resource:
    """Take the resource out of the library for readers; coordinators still see it."""
    with transaction.atomic():
        resource = Resource.objects.select_for_update().get(pk=resource.pk)
        if resource.published:
            _set_published(resource, False)
            resource.save(update_fields=["published", "published_on", "updated_at"])
            record(
                "resource.unpublished", actor=actor, obj=resource, summary=f"Resource “{resource.title}” unpublished"
            )
    return resource


def delete_resource(resource: Resource, *, actor: Any) -> None:
    """Delete the resource, and its file once the deletion is committed."""
    with transaction.atomic():
        record("resource.deleted", actor=actor, obj=resource, summary=f"Resource “{resource.title}” deleted")
        stored = resource.file.name
        resource.delete()
        _delete_file_after_commit(stored)
