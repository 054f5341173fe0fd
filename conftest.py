"""Test world shared by every test: real PostgreSQL, the public tenant, the template and three boards.

The boards and people are created once per test session (committed, so that a real worker or a browser
talking to a real server sees them); each test then runs in a transaction that is rolled back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyotp
import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

PASSWORD = "correct horse battery staple"
BOARD_SLUGS = ("leeds", "croydon", "bradford")
ROLES = ("board_admin", "coordinator", "trainer", "finance", "practitioner")


@dataclass
class World:
    boards: dict[str, Any] = field(default_factory=dict)
    regions: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    agencies: dict[str, Any] = field(default_factory=dict)

    def user(self, role: str, board: str) -> Any:
        return self.users[f"{role}@{board}"]

    def host(self, board: str) -> str:
        return f"{board}.{settings.PLATFORM_HOST}"

    def totp_code(self, user: Any) -> str:
        return pyotp.TOTP(user.totp_secret).now()


def _build_world() -> World:
    from django.db import connection
    from django.utils import timezone

    # Never build the test world in a real database: a subset of tests that asks for no database fixture
    # would otherwise run against the development database.
    assert connection.settings_dict["NAME"].startswith("test_"), connection.settings_dict["NAME"]

    from shared_apps.accounts.models import Membership, User
    from shared_apps.agencies.models import Agency, AgencyType
    from tenants.models import Board, Region
    from tenants.services import BoardSpec, ensure_platform_schemas, provision_board

    ensure_platform_schemas()
    world = World()
    world.regions["west-yorkshire"], _ = Region.objects.get_or_create(
        slug="west-yorkshire", defaults={"name": "West Yorkshire"}
    )
    world.regions["london"], _ = Region.objects.get_or_create(slug="london", defaults={"name": "London"})
    board_regions = {"leeds": "west-yorkshire", "croydon": "london", "bradford": "west-yorkshire"}
    for slug in BOARD_SLUGS:
        board = Board.objects.filter(slug=slug).first()
        if board is None:
            board = provision_board(
                BoardSpec(
                    name=f"{slug.title()} Safeguarding Children Partnership",
                    slug=slug,
                    region=world.regions[board_regions[slug]],
                )
            )
        world.boards[slug] = board
    for agency_type in AgencyType:
        world.agencies[agency_type.value], _ = Agency.objects.get_or_create(
            name=f"Test {agency_type.label} agency", defaults={"agency_type": agency_type.value}
        )
    for slug in BOARD_SLUGS:
        for role in ROLES:
            email = f"{role}@{slug}.test"
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email=email, password=PASSWORD, full_name=f"{role.title()} {slug}")
                if role == "board_admin":
                    user.totp_secret = pyotp.random_base32()
                    user.totp_confirmed_at = timezone.now()
                    user.save()
                Membership.objects.create(user=user, board=world.boards[slug], role=role)
            world.users[f"{role}@{slug}"] = user
    staff = User.objects.filter(email="staff@platform.test").first()
    if staff is None:
        staff = User.objects.create_user(
            email="staff@platform.test",
            password=PASSWORD,
            full_name="Platform Staff",
            is_staff=True,
            totp_secret=pyotp.random_base32(),
            totp_confirmed_at=timezone.now(),
        )
    world.users["staff"] = staff
    outsider = User.objects.filter(email="nobody@nowhere.test").first()
    world.users["outsider"] = outsider or User.objects.create_user(
        email="nobody@nowhere.test", password=PASSWORD, full_name="No Roles"
    )
    return world


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        _build_world()


@pytest.fixture(scope="session")
def world(django_db_setup: None, django_db_blocker: Any) -> World:
    with django_db_blocker.unblock():
        return _build_world()


@pytest.fixture(autouse=True)
def _public_schema_after_each_test() -> Any:
    yield
    from django.db import connection

    connection.set_schema_to_public()


def api_client(user: Any = None, host: str | None = None) -> APIClient:
    """An API client for `host` (a board's host name, or the platform host), signed in by token as `user`."""
    client = APIClient(HTTP_HOST=host or settings.PLATFORM_HOST)
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def api() -> Any:
    return api_client
