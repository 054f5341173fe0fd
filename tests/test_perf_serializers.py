"""BookingSerializer works out its fields once per class (for speed): each instance must still get fields of its
own, the same as ModelSerializer would build, and unknown fields must still be refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import QuerySet
from rest_framework.fields import Field

from conftest import World
from lscb_platform.api_fields import FieldsBuiltOnce
from tenant_apps.booking.api.views import BookingSerializer


def _built_afresh(serializer: Any) -> Any:
    return super(FieldsBuiltOnce, serializer)


def _described(value: Any) -> Any:
    """A field, validator or argument as plain values (a queryset by its SQL: its repr would run it)."""
    if isinstance(value, QuerySet):
        return ("queryset", value.model, str(value.query))
    if isinstance(value, Field):
        return (type(value), _described(vars(value)["_args"]), _described(vars(value)["_kwargs"]))
    if isinstance(value, dict):
        return {key: _described(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_described(item) for item in value]
    if hasattr(value, "__dict__") and not isinstance(value, type):
        return (type(value), _described(vars(value)))
    return value


def test_the_fields_are_the_ones_modelserializer_builds() -> None:
    serializer = BookingSerializer()
    fields, afresh = serializer.get_fields(), _built_afresh(serializer).get_fields()
    assert list(fields) == list(afresh)
    assert _described(fields) == _described(afresh)
    assert _described(serializer.get_validators()) == _described(_built_afresh(serializer).get_validators())


def test_each_serializer_has_fields_of_its_own() -> None:
    first, second = BookingSerializer(data={"session": "a"}), BookingSerializer(data={"session": "b"})
    for name in first.fields:
        assert first.fields[name] is not second.fields[name], name
        assert first.fields[name].parent is first and second.fields[name].parent is second
    assert first.get_fields()["session"] is not first.get_fields()["session"]


@pytest.mark.django_db
def test_an_unknown_field_in_a_booking_is_still_refused(world: World, api: Any) -> None:
    client = api(world.user("practitioner", "leeds"), world.host("leeds"))
    response = client.post("/api/v1/bookings/", {"session": "x", "sesion": "x"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "sesion": ["This field is not recognised (check the spelling, or leave it out)."]
    }
