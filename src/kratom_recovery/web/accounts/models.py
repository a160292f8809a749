"""Users, roles, invite codes and API tokens."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PATIENT = "patient", _("Patient")
    CLINICIAN = "clinician", _("Clinician")
    ADMIN = "admin", _("Program admin")


class User(AbstractUser):
    """A person who signs in. The role decides which pages and objects they may reach."""

    role = models.CharField(max_length=16, choices=Role.choices, default=Role.PATIENT)
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    # Staff only: the IANA zone times are shown in; blank means the program's zone
    # (program/config.py user_zone()).
    timezone = models.CharField(_("time zone"), max_length=64, blank=True)
    # Staff only: when the second factor became required of this account (its creation, or
    # the upgrade that introduced two-factor sign-in); the grace period runs from here.
    second_factor_since = models.DateTimeField(null=True, blank=True)
    # Patients only: the language they chose on their account page ("" = the browser's), so
    # it follows them to another phone; the cookie alone would not.
    language = models.CharField(_("language"), max_length=8, blank=True)
    # Part of the session hash: raising it signs the user out of every session at once.
    session_epoch = models.PositiveIntegerField(default=0)

    def _get_session_auth_hash(self, secret: Any = None) -> str:
        """Django's session hash (an HMAC of the password hash), extended by the session
        epoch. Epoch 0 gives Django's own value, so no session ends at the upgrade."""
        key = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"
        value = self.password if not self.session_epoch else (
            f"{self.password}:{self.session_epoch}")
        return salted_hmac(key, value, secret=secret, algorithm="sha256").hexdigest()

    @property
    def is_staff_role(self) -> bool:
        """Clinicians and program admins: two-factor sign-in and short sessions."""
        return self.role in (Role.CLINICIAN, Role.ADMIN)

    @property
    def is_patient(self) -> bool:
        return self.role == Role.PATIENT

    @property
    def is_clinician(self) -> bool:
        return self.role == Role.CLINICIAN

    @property
    def is_program_admin(self) -> bool:
        return self.role == Role.ADMIN

    def __str__(self) -> str:
        return self.display_name or self.username


# Invite codes avoid easily confused characters and are long enough not to be guessed
# (32^10 ≈ 1e15) within their short lifetime.
INVITE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
INVITE_LENGTH = 10
INVITE_LIFETIME = timedelta(days=14)


def new_invite_code() -> str:
    return "".join(secrets.choice(INVITE_ALPHABET) for _ in range(INVITE_LENGTH))


def default_invite_expiry():  # type: ignore[no-untyped-def]
    return timezone.now() + INVITE_LIFETIME


class InviteCode(models.Model):
    """A single-use code a clinician shares so a patient can join their caseload."""

    code = models.CharField(max_length=16, unique=True, default=new_invite_code)
    clinician = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invites")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=default_invite_expiry)
    used_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    used_at = models.DateTimeField(null=True, blank=True)

    def is_usable(self) -> bool:
        return self.used_by_id is None and self.expires_at > timezone.now()


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only a SHA-256 hash is stored (web/common/hashing.py);
    the plain token is shown once, when it is created (a database leak leaks no usable token).

    Moved here from the api app with its table: `db_table` keeps the original name, so the
    move changed migration state only (accounts 0002, api 0002).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    token_hash = models.CharField(max_length=64, unique=True)  # the unique index finds a token
    prefix = models.CharField(max_length=16)  # first characters, to tell tokens apart
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)  # None: until revoked

    class Meta:
        db_table = "api_apitoken"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and (
            self.expires_at is None or self.expires_at > timezone.now())


class SignInThrottle(models.Model):
    """Failed sign-in steps (password, second-factor code, reset code) for one key: a
    username at one client address, or an address alone for sign-up. `strikes` counts the
    lock-outs so far, which doubles the next one (accounts/throttle.py)."""

    key = models.CharField(max_length=64, unique=True)  # SHA-256 of the kind and parts
    failures = models.PositiveIntegerField(default=0)
    strikes = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # Serves the sweep of stale rows (throttle.forget_stale).
        indexes = [models.Index(fields=["updated_at"], name="throttle_updated")]


class ResetCode(models.Model):
    """A short password-reset code a clinician reads to a patient without e-mail. Only a
    hash is kept; it is single-use and lives 15 minutes (accounts/passwords.py)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="reset_codes")
    code_hash = models.CharField(max_length=64)
    issued_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Serves redeeming a code: the user's live codes.
        indexes = [models.Index(fields=["user", "used_at"], name="resetcode_user_used")]


class IdempotencyKey(models.Model):
    """The stored response to a write sent with an Idempotency-Key header (the API's POSTs
    and the signed-in web check-in, accounts/idempotency.py).

    Written in the same transaction as the record it describes, so a retry either finds
    both or neither. Moved here from the api app with its table: `db_table` keeps the
    original name, so the move changed migration state only (accounts 0005, api 0003).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)  # SHA-256 of method, path and body
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "api_idempotencykey"
        # The unique index also serves the lookup on every keyed write.
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_user_key")
        ]


class AccountPolicy(models.Model):
    """Program-wide account rules, one row, set by an admin on the program settings page.

    Kept here rather than in the program's settings row because sign-in reads it and the
    accounts app sits below the program app; the program page writes it through
    `twofactor.set_grace_days`. No row means the defaults.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    two_factor_grace_days = models.PositiveSmallIntegerField(default=7)
