"""One account per person: sign-in, lockout, two-factor for board administrators and platform staff."""

from datetime import timedelta
from typing import Any

import pyotp
import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD, World, api_client
from shared_apps.accounts.models import Role, User
from shared_apps.accounts.permissions import can, requires_two_factor
from shared_apps.accounts.services import attempt_sign_in, create_user, grant_membership, verify_totp
from shared_apps.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _person(email: str = "jo.bloggs@school.test") -> User:
    return create_user(email, "Jo Bloggs", PASSWORD)


def test_passwords_are_hashed_with_argon2_in_production_settings() -> None:
    from lscb_platform.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_email_sign_in_is_case_insensitive() -> None:
    user = _person()
    assert attempt_sign_in("Jo.Bloggs@School.TEST", PASSWORD).user == user


def test_repeated_failures_lock_the_account_then_it_unlocks_later() -> None:
    user = _person()
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        assert attempt_sign_in(user.email, "wrong password").locked_until is None
    locked = attempt_sign_in(user.email, "wrong password")
    assert locked.user is None and locked.locked_until is not None
    assert "locked" in locked.message

    # Even the right password is refused while locked.
    assert attempt_sign_in(user.email, PASSWORD).user is None
    assert AuditEvent.objects.filter(action="account.locked", object_id=str(user.pk)).count() == 1

    with time_machine.travel(timezone.now() + timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES + 1)):
        assert attempt_sign_in(user.email, PASSWORD).user == user


def test_a_success_resets_the_failure_count() -> None:
    user = _person()
    attempt_sign_in(user.email, "wrong")
    attempt_sign_in(user.email, PASSWORD)
    user.refresh_from_db()
    assert user.failed_login_count == 0


def test_unknown_email_gives_the_same_message_as_a_wrong_password() -> None:
    user = _person()
    assert attempt_sign_in("nobody@example.test", "x").message == attempt_sign_in(user.email, "x").message


def test_board_admins_and_staff_need_two_factor_others_do_not(world: World) -> None:
    assert requires_two_factor(world.user("board_admin", "leeds"))
    assert requires_two_factor(world.users["staff"])
    assert not requires_two_factor(world.user("coordinator", "leeds"))
    assert not requires_two_factor(world.user("practitioner", "leeds"))


def test_a_totp_code_works_once(world: World) -> None:
    user = _person()
    user.totp_secret = pyotp.random_base32()
    user.save()
    code = pyotp.TOTP(user.totp_secret).now()
    assert verify_totp(user, code)
    user.refresh_from_db()
    assert user.totp_confirmed_at is not None
    assert not verify_totp(user, code), "a code must not be accepted twice"
    assert not verify_totp(user, "000000") or pyotp.TOTP(user.totp_secret).now() == "000000"


def test_roles_are_per_board(world: World) -> None:
    coordinator = world.user("coordinator", "leeds")
    assert can(coordinator, "strategy.manage", world.boards["leeds"])
    assert not can(coordinator, "strategy.manage", world.boards["croydon"])
    assert not can(coordinator, "audit.read", world.boards["leeds"])
    assert can(world.user("board_admin", "leeds"), "audit.read", world.boards["leeds"])


def test_one_account_serves_several_boards(world: World) -> None:
    trainer = _person("trainer.two.boards@nhs.test")
    grant_membership(trainer, world.boards["leeds"], Role.TRAINER)
    grant_membership(trainer, world.boards["bradford"], Role.TRAINER)
    me = api_client(trainer).get("/api/v1/me/").json()
    assert sorted(m["board"] for m in me["memberships"]) == ["bradford", "leeds"]
    assert can(trainer, "strategy.read", world.boards["bradford"])
    assert not can(trainer, "strategy.read", world.boards["croydon"])


# --- web sign-in -------------------------------------------------------------------------------------------


def _board_client(world: World, slug: str = "leeds") -> Client:
    return Client(HTTP_HOST=world.host(slug))


def test_a_practitioner_signs_in_and_out_on_a_board_site(world: World) -> None:
    client = _board_client(world)
    response = client.post("/sign-in/", {"email": "practitioner@leeds.test", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/")
    assert world.user("practitioner", "leeds").full_name.encode() in home.content
    client.post("/sign-out/")
    assert b"Sign in" in client.get("/").content


def test_signing_in_at_a_boards_address_under_the_platform_host_returns_to_that_board(world: World) -> None:
    client = Client(HTTP_HOST=settings.PLATFORM_HOST)
    response = client.post("/t/leeds/sign-in/", {"email": "practitioner@leeds.test", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/t/leeds/"


def test_a_wrong_password_shows_an_error_summary(world: World) -> None:
    response = _board_client(world).post("/sign-in/", {"email": "trainer@leeds.test", "password": "nope"})
    assert response.status_code == 400
    assert b"There is a problem" in response.content
    assert b"Enter a correct email address and password" in response.content


def test_a_board_admin_must_give_a_code_before_being_signed_in(world: World) -> None:
    admin = world.user("board_admin", "croydon")
    client = _board_client(world, "croydon")
    response = client.post("/sign-in/", {"email": admin.email, "password": PASSWORD, "next": "/audit/"})
    assert response.status_code == 302 and response["Location"].endswith("/sign-in/code/")
    assert client.get("/audit/").status_code == 302, "not signed in before the code"

    wrong = client.post("/sign-in/code/", {"code": "12345"})
    assert wrong.status_code == 400 and b"Enter the security code as 6 digits" in wrong.content

    signed_in = client.post("/sign-in/code/", {"code": world.totp_code(admin)})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/audit/"
    assert client.get("/audit/").status_code == 200


def test_a_new_board_admin_sets_up_two_factor_at_first_sign_in(world: World) -> None:
    user = _person("new.admin@leeds.test")
    grant_membership(user, world.boards["leeds"], Role.BOARD_ADMIN)
    client = _board_client(world)
    response = client.post("/sign-in/", {"email": user.email, "password": PASSWORD})
    assert response["Location"].endswith("/sign-in/set-up-two-factor/")
    page = client.get("/sign-in/set-up-two-factor/")
    assert b"<svg" in page.content
    user.refresh_from_db()
    assert user.totp_secret.encode() in page.content
    done = client.post("/sign-in/set-up-two-factor/", {"code": pyotp.TOTP(user.totp_secret).now()})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.has_two_factor


def test_a_session_without_the_second_factor_is_ended(world: World) -> None:
    admin = world.user("board_admin", "leeds")
    client = _board_client(world)
    client.force_login(admin)
    assert client.get("/audit/").status_code == 302
    api = client.get("/api/v1/audit-events/")
    assert api.status_code in (401, 403)


def test_next_cannot_send_people_to_another_site(world: World) -> None:
    response = _board_client(world).post(
        "/sign-in/", {"email": "trainer@leeds.test", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


# --- API tokens --------------------------------------------------------------------------------------------


def test_a_token_for_a_practitioner(world: World) -> None:
    response = api_client().post(
        "/api/v1/auth/token/", {"email": "practitioner@croydon.test", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    me = api_client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.json()["email"] == "practitioner@croydon.test"


def test_a_board_admin_token_needs_the_code(world: World) -> None:
    admin = world.user("board_admin", "bradford")
    body: dict[str, Any] = {"email": admin.email, "password": PASSWORD}
    refused = api_client().post("/api/v1/auth/token/", body, format="json")
    assert refused.status_code == 400 and "code" in refused.json()["error"]["fields"]
    accepted = api_client().post("/api/v1/auth/token/", {**body, "code": world.totp_code(admin)}, format="json")
    assert accepted.status_code == 200


def test_a_wrong_password_for_a_token_is_a_clear_400() -> None:
    response = api_client().post("/api/v1/auth/token/", {"email": "x@y.test", "password": "z"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Enter a correct email address and password."


def test_a_password_sent_to_sign_in_never_reaches_an_error_report(world: World) -> None:
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory
    from django.views.debug import SafeExceptionReporterFilter

    from shared_apps.web.views import sign_in

    request = RequestFactory().post("/sign-in/", {"email": "someone@school.test", "password": "my secret words"})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    sign_in(request)
    reported = SafeExceptionReporterFilter().get_post_parameters(request)
    assert reported["password"] != "my secret words" and reported["email"] == "someone@school.test"
