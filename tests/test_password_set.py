"""Setting a password from an emailed link: forgotten passwords, and accounts made when an agency manager booked
someone (no usable password yet). The link works once; the page never says whether an address has an account."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from conftest import World
from shared_apps.accounts.models import User
from shared_apps.accounts.services import attempt_sign_in
from shared_apps.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a long walk by the canal"


@pytest.fixture(autouse=True)
def _no_links_counted_yet() -> None:
    cache.clear()  # the count of links asked for an address an hour


def _link(message: Any) -> str:
    found = re.search(r"https?://[^/\s]+(/\S*password/set/\S+/)", message.body)
    assert found, message.body
    return found[1]


@pytest.mark.parametrize("host", ["leeds", "platform"])
def test_someone_whose_account_was_made_for_them_sets_a_password_and_signs_in(world: World, host: str) -> None:
    person = User.objects.create_user(email="made.for.me@school.test", password=None, full_name="Mo Made")
    assert not person.has_usable_password()
    client = Client(HTTP_HOST=world.host("leeds") if host == "leeds" else "localhost")

    sent = client.post("/password/forgotten/", {"email": " Made.For.Me@school.test "})
    assert sent.status_code == 302 and sent["Location"].endswith("/password/forgotten/sent/")
    (message,) = mail.outbox
    assert message.to == [person.email] and message.subject == "Set your password"

    form = client.get(_link(message), follow=True)
    assert "Set your password" in form.content.decode()
    mismatch = client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": "other"})
    assert "The two passwords are not the same" in mismatch.content.decode()
    weak = client.post(form.redirect_chain[-1][0], {"new_password1": "password", "new_password2": "password"})
    assert "This password is too short" in weak.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"].endswith("/password/set/done/")

    assert attempt_sign_in(person.email, NEW_PASSWORD).user == person
    assert AuditEvent.objects.filter(action="account.password_set", actor=person).count() == 1
    # Used once: the same link now says so.
    again = Client(HTTP_HOST=world.host("leeds")).get(_link(message), follow=True)
    assert "This link cannot be used" in again.content.decode()


def test_an_unknown_or_closed_address_gets_the_same_page_and_no_email(world: World) -> None:
    User.objects.create_user(email="closed@school.test", password=None, full_name="Cee Closed", is_active=False)
    client = Client(HTTP_HOST=world.host("leeds"))
    for email in ("nobody.here@school.test", "closed@school.test"):
        response = client.post("/password/forgotten/", {"email": email})
        assert response.status_code == 302 and response["Location"].endswith("/password/forgotten/sent/")
    assert mail.outbox == []
    invalid = client.post("/password/forgotten/", {"email": "not an address"})
    assert invalid.status_code == 200 and "Enter an email address in the correct format" in invalid.content.decode()


def test_a_new_password_ends_a_lockout(world: World) -> None:
    person = User.objects.create_user(email="locked@school.test", password="old password here", full_name="Lo Cked")
    User.objects.filter(pk=person.pk).update(failed_login_count=5, locked_until=timezone.now() + timedelta(minutes=15))
    client = Client(HTTP_HOST=world.host("leeds"))
    client.post("/password/forgotten/", {"email": person.email})
    form = client.get(_link(mail.outbox[0]), follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert attempt_sign_in(person.email, NEW_PASSWORD).user == person


def test_the_sign_in_page_links_to_it(world: World) -> None:
    page = Client(HTTP_HOST=world.host("leeds")).get("/sign-in/").content.decode()
    assert 'href="/password/forgotten/"' in page


def test_at_most_three_links_an_hour_go_to_one_address(world: World) -> None:
    User.objects.create_user(email="asks.often@school.test", password=None, full_name="Ash Often")
    client = Client(HTTP_HOST=world.host("leeds"))
    answers = [client.post("/password/forgotten/", {"email": "asks.often@school.test"}) for _ in range(5)]
    assert {answer.status_code for answer in answers} == {302}  # the same answer every time
    assert len(mail.outbox) == 3
