"""Serializer bases shared by every API: unknown fields and numbers sent as text are errors, not silently let by."""

from __future__ import annotations

import copy
from typing import Any, TypeVar

from django.db.models import Model
from rest_framework import serializers

M = TypeVar("M", bound=Model)


class RejectUnknownFieldsMixin:
    """A typo in a field name should say so, rather than save a record without the value the person meant."""

    initial_data: Any
    fields: Any

    def validate_unknown_fields(self) -> None:
        if not isinstance(self.initial_data, dict):
            return
        writable = {name for name, field in self.fields.items() if not field.read_only}
        unknown = sorted(set(self.initial_data) - writable)
        if unknown:
            raise serializers.ValidationError(
                {name: ["This field is not recognised (check the spelling, or leave it out)."] for name in unknown}
            )

    def validate_text_types(self) -> None:
        """DRF turns a number sent for a text field into text; a number there is more likely a mistake."""
        numbers = sorted(
            name
            for name, field in self.fields.items()
            if isinstance(field, serializers.CharField)
            and isinstance(self.initial_data.get(name), int | float)
            and not isinstance(self.initial_data.get(name), bool)
        )
        if numbers:
            raise serializers.ValidationError({name: ["Enter text (in quotes), not a number."] for name in numbers})

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, dict):
            raise serializers.ValidationError(
                {"non_field_errors": ["Send a JSON object with the fields named in the API description."]}
            )
        self.validate_unknown_fields()
        self.validate_text_types()
        return super().to_internal_value(data)  # type: ignore[misc]


# Works out a serializer's fields and validators once per class, then gives each instance its own copies of the
# fields (as DRF does with declared fields) and the same validators (as DRF does with Meta.validators). Only for
# serializers whose fields depend on their class alone, never on the instance, its data or context: ModelSerializer
# otherwise derives them from the model again for every instance (0.2 to 0.3 ms of CPU a booking).
# No docstring: drf-spectacular would describe each serializer using this class with it.
class FieldsBuiltOnce:
    def get_fields(self) -> dict[str, Any]:
        built = type(self).__dict__.get("_fields_built_once")
        if built is None:  # two threads may both build them the first time: the same fields
            built = super().get_fields()  # type: ignore[misc]
            type(self)._fields_built_once = built  # type: ignore[attr-defined]
        return copy.deepcopy(built)

    def get_validators(self) -> list[Any]:
        built = type(self).__dict__.get("_validators_built_once")
        if built is None:
            built = super().get_validators()  # type: ignore[misc]
            type(self)._validators_built_once = built  # type: ignore[attr-defined]
        return list(built)


class StrictModelSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer[M]):
    pass


class StrictSerializer(RejectUnknownFieldsMixin, serializers.Serializer[Any]):
    pass
