from typing import Any

from django.db import transaction

from shared_apps.agencies.models import Agency
from shared_apps.audit.services import record


def create_agency(*, name: str, agency_type: str, email: str = "", actor: Any = None) -> Agency:
    with transaction.atomic():
        agency = Agency(name=name.strip(), agency_type=agency_type, email=email)
        agency.full_clean()
        agency.save()
        record("agency.created", actor=actor, obj=agency, board=None, summary=f"Agency {agency.name} added")
    return agency
