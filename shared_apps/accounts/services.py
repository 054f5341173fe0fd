"""Every write about people and roles: sign-in attempts, lockout, two-factor, memberships."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from shared_apps.accounts.emails import send_role_given
from shared_apps.accounts.models import Membership, RegionMembership, Role, User
from shared_apps.audit.services import record
from tenants.models import Board, Region


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    locked_until: datetime | None = None

    @property
    def message(self) -> str:
        if self.locked_until:
            local = timezone.localtime(self.locked_until)
            return (
                "This account is locked after too many failed sign-in attempts. "
                f"Try again after {local:%H:%M}, or ask your board administrator."
            )
        return "Enter a correct email address and password."


def attempt_sign_in(email: str, password: str) -> SignInResult:
    """Check a password, counting failures. Too many in a row lock the account for a while."""
    email = (email or "").strip().lower()
    user = User.objects.filter(email=email).first()
    if user is None:
        User().set_password(password)  # same work as a real check, so timing does not reveal who has an account
        return SignInResult(None)
    now = timezone.now()
    if user.locked_until and user.locked_until > now:
        return SignInResult(None, locked_until=user.locked_until)
    if user.is_active and user.check_password(password):
        if user.failed_login_count or user.locked_until:
            User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
        return SignInResult(user)
    return _record_failure(user, now)


def _record_failure(user: User, now: datetime) -> SignInResult:
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_login_count=F("failed_login_count") + 1)
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.failed_login_count >= settings.LOGIN_MAX_FAILURES:
            user.locked_until = now + timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
            user.failed_login_count = 0
            user.save(update_fields=["locked_until", "failed_login_count"])
            record(
                "account.locked",
                actor=None,
                obj=user,
                board=None,
                summary=f"{user.email} locked after {settings.LOGIN_MAX_FAILURES} failed sign-ins",
            )
            return SignInResult(None, locked_until=user.locked_until)
    return SignInResult(None)


def start_two_factor_setup(user: User) -> str:
    """Give the user a fresh, unconfirmed TOTP secret (shown once as a QR code and text)."""
    if user.has_two_factor:
        raise ValueError("Two-factor authentication is already set up for this account.")
    user.totp_secret = pyotp.random_base32()
    user.save(update_fields=["totp_secret"])
    return user.totp_secret


# RFC 4226 section 4: the shared secret must be at least 128 bits, which is 26 base32 characters.
MIN_TOTP_SECRET_LENGTH = 26


def enable_two_factor_with_secret(user: User, secret: str, *, actor: User | None = None) -> User:
    """Turn on two-factor sign-in with a secret chosen elsewhere (the demo's published secrets, an import).

    People setting up their own account get a fresh secret from start_two_factor_setup and confirm it with a
    code instead. Calling this again with the secret already confirmed changes and logs nothing.
    """
    secret = secret.strip().upper()
    if len(secret) < MIN_TOTP_SECRET_LENGTH:
        raise ValueError(f"A two-factor secret needs at least {MIN_TOTP_SECRET_LENGTH} base32 characters.")
    try:
        pyotp.TOTP(secret).now()
    except ValueError as exc:  # binascii.Error, raised for text that is not base32, is a ValueError
        raise ValueError("A two-factor secret must be base32 text (letters A to Z and digits 2 to 7).") from exc
    with transaction.atomic():
        fresh = User.objects.select_for_update().get(pk=user.pk)
        if fresh.totp_secret == secret and fresh.totp_confirmed_at is not None:
            return fresh
        fresh.totp_secret = secret
        fresh.totp_confirmed_at = timezone.now()
        fresh.totp_last_step = None
        fresh.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
        record(
            "account.two_factor_enabled",
            actor=actor,
            obj=fresh,
            board=None,
            summary=f"Two-factor authentication turned on for {fresh.email} with a given secret",
        )
    user.totp_secret, user.totp_confirmed_at, user.totp_last_step = secret, fresh.totp_confirmed_at, None
    return fresh


def provisioning_uri(user: User) -> str:
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=settings.TOTP_ISSUER)


def verify_totp(user: User, code: str) -> bool:
    """Accept a current code once (the previous or next 30-second step too, for clock drift)."""
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    if not user.totp_secret or len(code) != 6:
        return False
    totp = pyotp.TOTP(user.totp_secret)
    now = timezone.now()
    for drift in (0, -1, 1):
        at = now + timedelta(seconds=30 * drift)
        if totp.verify(code, for_time=at):
            step = totp.timecode(at)
            with transaction.atomic():
                fresh = User.objects.select_for_update().get(pk=user.pk)
                if fresh.totp_last_step is not None and step <= fresh.totp_last_step:
                    return False
                fresh.totp_last_step = step
                fields = ["totp_last_step"]
                if fresh.totp_confirmed_at is None:
                    fresh.totp_confirmed_at = now
                    fields.append("totp_confirmed_at")
                    record(
                        "account.two_factor_enabled",
                        actor=fresh,
                        obj=fresh,
                        board=None,
                        summary=f"{fresh.email} set up two-factor authentication",
                    )
                fresh.save(update_fields=fields)
            user.totp_last_step, user.totp_confirmed_at = fresh.totp_last_step, fresh.totp_confirmed_at
            return True
    return False


def create_user(
    email: str, full_name: str, password: str | None, *, actor: User | None = None, is_staff: bool = False
) -> User:
    with transaction.atomic():
        user = User.objects.create_user(email=email, password=password, full_name=full_name, is_staff=is_staff)
        record("account.created", actor=actor, obj=user, board=None, summary=f"Account for {user.email} created")
    return user


def grant_membership(
    user: User, board: Board, role: str, *, actor: User | None = None, agency_id: int | None = None
) -> Membership:
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user, board=board, role=role, defaults={"agency_id": agency_id}
        )
        if created:
            record(
                "membership.granted",
                actor=actor,
                obj=membership,
                board=board,
                summary=f"{user.email} given the role {membership.get_role_display()}",
            )
    return membership


def revoke_membership(membership: Membership, *, actor: User | None = None) -> None:
    with transaction.atomic():
        record(
            "membership.revoked",
            actor=actor,
            obj=membership,
            board=membership.board,
            summary=f"{membership.user.email} no longer {membership.get_role_display()}",
        )
        membership.delete()


def grant_region_role(user: User, region: Region, *, actor: User | None = None) -> RegionMembership:
    with transaction.atomic():
        membership, created = RegionMembership.objects.get_or_create(user=user, region=region)
        if created:
            record(
                "region_membership.granted",
                actor=actor,
                obj=membership,
                board=None,
                summary=f"{user.email} made regional analyst for {region.name}",
            )
    return membership


def person_for(email: str, full_name: str, *, actor: User) -> User:
    """The active account with this email, made now (with no usable password: they set one by email) when there
    is none; the name is needed then. Call inside the transaction of what the account is for, so that a refusal
    later leaves no account behind."""
    email = email.strip()
    person = User.objects.filter(email__iexact=email).first()
    if person is None:
        if not full_name.strip():
            raise ValidationError(
                {"full_name": [f"Enter their full name: {email} has no account yet, so one will be made for them."]}
            )
        return create_user(email, full_name.strip(), None, actor=actor)
    if not person.is_active:
        raise ValidationError({"email": [f"The account of {email} is closed: ask the board to reopen it."]})
    return person


# Roles that act for one agency: the membership must name it.
ROLES_FOR_AN_AGENCY = frozenset({Role.FINANCE, Role.AGENCY_MANAGER})


def give_role(
    board: Board, *, email: str, role: str, actor: User, full_name: str = "", agency_id: int | None = None
) -> Membership:
    """A board administrator gives a person a role in the board, by email; someone with no account gets one
    (their name is needed then), made in the same transaction. Finance contacts and agency training managers
    act for one agency, which must be named. The person is emailed once it is done (with a link to set a password
    if they have none)."""
    email = email.strip().lower()
    if role not in Role.values:
        raise ValidationError({"role": ["Choose a role."]})
    if role in ROLES_FOR_AN_AGENCY and agency_id is None:
        raise ValidationError({"agency": [f"Choose the agency this {Role(role).label.lower()} acts for."]})
    with transaction.atomic():
        person = person_for(email, full_name, actor=actor)
        if Membership.objects.filter(user=person, board=board, role=role).exists():
            raise ValidationError({"role": [f"{person} is already {Role(role).label.lower()} in this board."]})
        membership = grant_membership(person, board, role, actor=actor, agency_id=agency_id)
        send_role_given(membership, actor=actor)
        return membership


def take_role(membership: Membership, *, actor: User) -> None:
    """Remove a role from a person in the board. The board keeps at least one administrator."""
    with transaction.atomic():
        if membership.role == Role.BOARD_ADMIN:
            admins = Membership.objects.select_for_update().filter(board_id=membership.board_id, role=Role.BOARD_ADMIN)
            if len(admins) <= 1:
                raise ValidationError({"role": ["A board needs an administrator: give someone else the role first."]})
        revoke_membership(membership, actor=actor)
