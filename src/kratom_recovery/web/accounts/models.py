"""Users, roles, invite codes and API tokens."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
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

    class Meta:
        db_table = "api_apitoken"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
