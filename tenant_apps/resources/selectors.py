"""Reads of the resources library shaped for its pages and API: readers see what is published, managers all."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Count, Min, Q, QuerySet
from django.db.models.functions import Lower

from tenant_apps.resources.models import Resource


@dataclass(frozen=True)
class Topic:
    name: str
    count: int


def resources_visible(can_manage: bool) -> QuerySet[Resource]:
    """Coordinators see every resource; everyone else only what has been published."""
    if can_manage:
        return Resource.objects.all()
    return Resource.objects.filter(published=True)


def library(*, can_manage: bool, kind: str = "", topic: str = "", q: str = "") -> QuerySet[Resource]:
    """The library filtered by kind, topic (any case) and words in the title, topic, summary, body or provider."""
    resources = resources_visible(can_manage)
    if kind:
        resources = resources.filter(kind=kind)
    if topic:
        resources = resources.filter(topic__iexact=topic.strip())
    for word in q.split()[:10]:
        resources = resources.filter(
            Q(title__icontains=word)
            | Q(topic__icontains=word)
            | Q(summary__icontains=word)
            | Q(body__icontains=word)
            | Q(provider_name__icontains=word)
        )
    return resources.order_by(Lower("title"), "id")


def topics(*, can_manage: bool) -> list[Topic]:
    """Each topic with the number of resources about it, for the library's filter (one query)."""
    rows = (
        resources_visible(can_manage)
        .exclude(topic="")
        .annotate(key=Lower("topic"))
        .values("key")
        .annotate(count=Count("id"), name=Min("topic"))
        .order_by("key")
    )
    return [Topic(name=row["name"], count=row["count"]) for row in rows]


def resource_for(resource_id: uuid.UUID | str, *, can_manage: bool) -> Resource | None:
    """One resource the person may see, or None (an unpublished one is not found, for readers)."""
    try:
        key = uuid.UUID(str(resource_id))
    except ValueError:
        return None
    return resources_visible(can_manage).filter(pk=key).first()
