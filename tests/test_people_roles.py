"""People and roles: a board's administrators give and remove roles (an account made for someone new), agencies
named where a role acts for one, the last administrator kept; coordinators read the list; nothing crosses boards."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from conftest import World
from shared_apps.accounts.models import Membership, Role, User
from shared_apps.accounts.services import attempt_sign_in
from shared_apps.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _client(world: World, role: str, board: str = "leeds") -> Client:
    client = Client(HTTP_HOST=world.host(board))
    client.force_login(world.user(role, board))
    if role == "board_admin":  # signed in with the second factor
        session = client.session
        session["two_factor_verified"] = True
        session.save()
    return client


def _give(client: Client, **fields: Any) -> Any:
    return client.post("/people/", fields)


def test_an_administrator_gives_roles_to_new_and_existing_people(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    admin = _client(world, "board_admin")
    page = admin.get("/people/")
    assert page.status_code == 200 and world.user("coordinator", "leeds").email in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        new = _give(
            admin,
            email="Dsl@Riverside.test",
            full_name="Dana Lead",
            role="agency_manager",
            agency=world.agencies["education"].pk,
        )
    assert new.status_code == 302
    person = User.objects.get(email="dsl@riverside.test")
    assert not person.has_usable_password()
    membership = Membership.objects.get(user=person, board=world.boards["leeds"])
    assert (membership.role, membership.agency) == (Role.AGENCY_MANAGER, world.agencies["education"])
    assert AuditEvent.objects.filter(action="membership.granted", object_id=str(membership.pk)).exists()
    assert "emailed them a link to set a password" in admin.get("/people/").content.decode()

    # The new account's email: what the role lets them do, and a link that sets their password.
    (told,) = mail.outbox
    board = world.boards["leeds"]
    assert told.to == ["dsl@riverside.test"] and told.subject == f"You are now agency training manager for {board.name}"
    assert f"for {world.agencies['education'].name} in {board.name}" in told.body
    assert f"book members of {world.agencies['education'].name}'s staff" in told.body
    link = re.search(r"https?://([^/\s]+)(/password/set/\S+/)", told.body)
    assert link and link[1].startswith(world.host("leeds"))
    visitor = Client(HTTP_HOST=world.host("leeds"))
    form = visitor.get(link[2], follow=True)
    password = "a long walk by the river"
    done = visitor.post(form.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})
    assert done.status_code == 302
    assert attempt_sign_in(person.email, password).user == person

    existing = world.user("practitioner", "leeds")
    with django_capture_on_commit_callbacks(execute=True):
        assert _give(admin, email=existing.email, role="trainer").status_code == 302
    assert Membership.objects.filter(user=existing, board=world.boards["leeds"], role="trainer").exists()
    assert mail.outbox[-1].to == [existing.email] and "/password/set/" not in mail.outbox[-1].body
    assert "Sign in with your usual email address and password" in mail.outbox[-1].body


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "x@school.test", "role": "coordinator"}, "Enter their full name"),
        (
            {"email": "y@school.test", "full_name": "Y", "role": "finance"},
            "Choose the agency this agency finance contact acts for",
        ),
        ({"email": "coordinator@leeds.test", "role": "coordinator"}, "is already learning and development coordinator"),
        ({"email": "z@school.test", "full_name": "Z"}, "Choose a role"),
        ({"email": "not an email", "role": "trainer"}, "Enter an email address like name@example.org"),
    ],
)
def test_what_cannot_be_given_says_why_and_saves_nothing(
    world: World, fields: dict[str, str], message: str, django_capture_on_commit_callbacks: Any
) -> None:
    before = Membership.objects.count(), User.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = _give(_client(world, "board_admin"), **fields)
    assert response.status_code == 400 and message in response.content.decode()
    assert (Membership.objects.count(), User.objects.count()) == before
    assert mail.outbox == []  # nobody is told of a role they were not given


def test_coordinators_read_but_do_not_change_and_practitioners_see_nothing(world: World) -> None:
    coordinator = _client(world, "coordinator")
    page = coordinator.get("/people/").content.decode()
    assert "Give someone a role" not in page and "Remove" not in page
    assert _give(coordinator, email="a@b.test", full_name="A", role="trainer").status_code == 403
    membership = Membership.objects.get(user=world.user("trainer", "leeds"), board=world.boards["leeds"])
    assert coordinator.post(f"/people/{membership.pk}/remove/").status_code == 403
    assert _client(world, "practitioner").get("/people/").status_code == 403


def test_removing_a_role_and_keeping_the_last_administrator(world: World) -> None:
    admin = _client(world, "board_admin")
    trainer = Membership.objects.get(user=world.user("trainer", "leeds"), board=world.boards["leeds"])
    assert admin.post(f"/people/{trainer.pk}/remove/").status_code == 302
    assert not Membership.objects.filter(pk=trainer.pk).exists()
    assert AuditEvent.objects.filter(action="membership.revoked").count() >= 1

    own = Membership.objects.get(user=world.user("board_admin", "leeds"), board=world.boards["leeds"])
    kept = admin.post(f"/people/{own.pk}/remove/", follow=True)
    assert "A board needs an administrator" in kept.content.decode()
    assert Membership.objects.filter(pk=own.pk).exists()


def test_another_boards_roles_are_neither_shown_nor_removable(world: World) -> None:
    admin = _client(world, "board_admin")
    croydon = Membership.objects.get(user=world.user("trainer", "croydon"), board=world.boards["croydon"])
    assert world.user("trainer", "croydon").email not in admin.get("/people/").content.decode()
    assert admin.post(f"/people/{croydon.pk}/remove/").status_code == 404
    assert Membership.objects.filter(pk=croydon.pk).exists()


def test_the_api_lists_gives_and_removes_roles_for_administrators_only(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    from conftest import api_client

    admin = api_client(world.user("board_admin", "leeds"), world.host("leeds"))
    listed = admin.get("/api/v1/roles/").json()["results"]
    assert {row["email"] for row in listed} >= {world.user("trainer", "leeds").email}
    assert world.user("trainer", "croydon").email not in {row["email"] for row in listed}

    with django_capture_on_commit_callbacks(execute=True):
        given = admin.post(
            "/api/v1/roles/",
            {
                "email": "api.finance@trust.test",
                "full_name": "Fin Ance",
                "role": "finance",
                "agency": world.agencies["health"].pk,
            },
            format="json",
        )
    assert given.status_code == 201, given.content
    (told,) = mail.outbox
    assert told.to == ["api.finance@trust.test"]
    assert f"non-attendance fees charged to {world.agencies['health'].name}" in told.body
    assert given.json()["email"] == "api.finance@trust.test" and given.json()["agency"] == world.agencies["health"].pk
    no_agency = admin.post(
        "/api/v1/roles/", {"email": "x@trust.test", "full_name": "X", "role": "finance"}, format="json"
    )
    assert no_agency.status_code == 400 and "Choose the agency" in no_agency.json()["error"]["message"]

    coordinator = api_client(world.user("coordinator", "leeds"), world.host("leeds"))
    assert coordinator.get("/api/v1/roles/").status_code == 200
    assert coordinator.delete(f"/api/v1/roles/{given.json()['id']}/").status_code == 403
    assert admin.delete(f"/api/v1/roles/{given.json()['id']}/").status_code == 204
    own = Membership.objects.get(user=world.user("board_admin", "leeds"), board=world.boards["leeds"])
    last = admin.delete(f"/api/v1/roles/{own.pk}/")
    assert last.status_code == 400 and "A board needs an administrator" in last.json()["error"]["message"]
    assert api_client(world.user("practitioner", "leeds"), world.host("leeds")).get("/api/v1/roles/").status_code == 403
