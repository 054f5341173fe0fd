"""One global account per person, with roles per board and per region (public schema)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. `is_staff` means platform staff (they run the platform, not a board)."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Platform staff: provisions boards, runs the platform.")
    date_joined = models.DateTimeField(default=timezone.now)
    failed_login_count = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    totp_secret = models.CharField(max_length=64, blank=True)
    totp_confirmed_at = models.DateTimeField(null=True, blank=True)
    # The last time step accepted, so a code cannot be replayed within its 30-second window.
    totp_last_step = models.BigIntegerField(null=True, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects: ClassVar[UserManager] = UserManager()

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def has_two_factor(self) -> bool:
        return bool(self.totp_secret and self.totp_confirmed_at)


class Role(models.TextChoices):
    BOARD_ADMIN = "board_admin", "Board administrator"
    COORDINATOR = "coordinator", "Learning and development coordinator"
    TRAINER = "trainer", "Trainer"
    FINANCE = "finance", "Agency finance contact"
    # Books named members of their agency's staff and looks after the agency's bookings in the board.
    AGENCY_MANAGER = "agency_manager", "Agency training manager"
    PRACTITIONER = "practitioner", "Practitioner"


class Membership(models.Model):
    """A role a person holds in one board. A person may hold several roles in several boards."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    board = models.ForeignKey("tenants.Board", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="memberships"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "board", "role"], name="one_role_once_per_board")]
        indexes = [models.Index(fields=["board", "role"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.board}"


class RegionMembership(models.Model):
    """A regional analyst: reads aggregates of every board in the region, never rows about people."""

    class RegionRole(models.TextChoices):
        ANALYST = "analyst", "Regional analyst"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="region_memberships")
    region = models.ForeignKey("tenants.Region", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=RegionRole.choices, default=RegionRole.ANALYST)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "region", "role"], name="one_region_role_once")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.region}"
