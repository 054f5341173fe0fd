"""A DRF viewset whose writes go through service functions, so that views stay thin and every write is audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.db.models import Model
from rest_framework import viewsets
from rest_framework.serializers import BaseSerializer


class ServiceViewSet(viewsets.ModelViewSet[Any]):
    """Set `create_service`, `update_service`, `delete_service` (wrapped in staticmethod).

    Services take `actor=` and the validated fields; `parent_field` names a validated field passed as the first
    positional argument on create (the strategy an item belongs to) and never changed on update.
    """

    parent_field: ClassVar[str | None] = None
    create_service: ClassVar[Callable[..., Model]]
    update_service: ClassVar[Callable[..., Model]]
    delete_service: ClassVar[Callable[..., None]]

    def perform_create(self, serializer: BaseSerializer[Any]) -> None:
        data = dict(serializer.validated_data)
        parent = [data.pop(self.parent_field)] if self.parent_field else []
        serializer.instance = type(self).create_service(*parent, actor=self.request.user, **data)

    def perform_update(self, serializer: BaseSerializer[Any]) -> None:
        data = dict(serializer.validated_data)
        if self.parent_field:
            data.pop(self.parent_field, None)
        serializer.instance = type(self).update_service(serializer.instance, actor=self.request.user, **data)

    def perform_destroy(self, instance: Model) -> None:
        type(self).delete_service(instance, actor=self.request.user)
