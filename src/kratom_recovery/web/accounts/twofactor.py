"""Two-factor sign-in: an authenticator app (TOTP, django-otp) and ten backup codes.

Enrolment shows a QR code made here (segno, no outside service) and the secret as text;
the first code from the app confirms it. Backup codes are single-use and shown once; only a
hash is stored, in django-otp's static device (whose token field holds 16 characters: 96
bits of SHA-256 in base64url, over codes of 60 random bits). django-otp refuses a TOTP code
at or before the last accepted time step, so a replayed code fails.

Clinicians and admins must enrol within a grace period; patients may.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from base64 import b32encode
from datetime import datetime, timedelta
from typing import Final

import segno
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.accounts.events import emit
from kratom_recovery.web.accounts.models import AccountPolicy, User

BACKUP_COUNT: Final = 10
BACKUP_ALPHABET: Final = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 letters: 5 bits each
BACKUP_LENGTH: Final = 12  # 60 bits, read as XXXX-XXXX-XXXX
TOTP_DIGITS: Final = 6
MAX_CODE: Final = 32  # longer input is refused before any work
# Days a new clinician or admin may sign in with the password alone (program setting).
GRACE_DAYS_DEFAULT: Final = 7
GRACE_DAYS_MIN: Final = 0
GRACE_DAYS_MAX: Final = 30
POLICY_ID: Final = 1
# A session's user may arrive with the grace period read in the same query (the session
# backend annotates it), so the check on every staff request costs nothing more.
GRACE_ANNOTATION: Final = "policy_grace_days"


def clean_code(code: str) -> str:
    return "".join(c for c in code[:MAX_CODE] if c not in " -\t").upper()


def hash_backup(code: str) -> str:
    digest = hashlib.sha256(clean_code(code).encode("utf-8", "surrogatepass")).digest()
    return base64.urlsafe_b64encode(digest).decode()[:16]


def new_backup_code() -> str:
    raw = "".join(secrets.choice(BACKUP_ALPHABET) for _ in range(BACKUP_LENGTH))
    return "-".join(raw[i:i + 4] for i in range(0, BACKUP_LENGTH, 4))


def is_verified(request: HttpRequest) -> bool:
    """This session gave the second factor (django-otp's OTPMiddleware sets is_verified)."""
    check = getattr(request.user, "is_verified", None)
    return bool(check()) if callable(check) else False


def authenticator(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def is_enrolled(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def backup_codes_left(user: User) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())


def check_grace_days(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not (
            GRACE_DAYS_MIN <= value <= GRACE_DAYS_MAX):
        raise InvalidInput("two_factor_grace_days", _(
            "must be a whole number of days from %(low)d to %(high)d")
            % {"low": GRACE_DAYS_MIN, "high": GRACE_DAYS_MAX})
    return value


def grace_days() -> int:
    """The program's grace period; read each time, so a change applies in every process."""
    days = AccountPolicy.objects.filter(pk=POLICY_ID).values_list(
        "two_factor_grace_days", flat=True).first()
    return GRACE_DAYS_DEFAULT if days is None else int(days)


def set_grace_days(days: object) -> int:
    """Store a checked grace period (the caller audits it, in its transaction)."""
    clean = check_grace_days(days)
    AccountPolicy.objects.update_or_create(pk=POLICY_ID,
                                           defaults={"two_factor_grace_days": clean})
    return clean


def grace_deadline(user: User) -> datetime | None:
    """When a staff account must have a second factor; None for patients (optional)."""
    if not user.is_staff_role:
        return None
    if hasattr(user, GRACE_ANNOTATION):
        annotated = getattr(user, GRACE_ANNOTATION)
        days = GRACE_DAYS_DEFAULT if annotated is None else int(annotated)
    else:
        days = grace_days()
    return (user.second_factor_since or user.date_joined) + timedelta(days=days)


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up (one per user, made on first visit)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False,
                                           digits=TOTP_DIGITS)
    return device


def qr_data_uri(device: TOTPDevice) -> str:
    """An SVG QR code of the otpauth:// link, as a data: URI for an <img> (CSP allows data:
    images; nothing inline to run)."""
    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2))


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i:i + 4] for i in range(0, len(key), 4))


@transaction.atomic
def confirm_enrolment(user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending authenticator with its first code; returns the device and the
    new backup codes (shown once). Other sessions end: they never gave the second factor."""
    device = (TOTPDevice.objects.select_for_update()
              .filter(user=user, confirmed=False).order_by("pk").first())
    if device is None:
        raise InvalidInput("code", _("set-up has expired; open this page again to start over"))
    code = clean_code(code)
    if not (code.isdigit() and len(code) == TOTP_DIGITS) or not device.verify_token(code):
        raise InvalidInput("code", _("that code does not match; type the 6 digits your app "
                                     "shows now, and check that the phone's clock is right"))
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save()
    codes = replace_backup_codes(user)
    user.session_epoch += 1
    user.save(update_fields=["session_epoch"])
    emit(user, user, "create", "2fa-enrol")
    return device, codes


def replace_backup_codes(user: User) -> list[str]:
    """Ten new backup codes; the old ones stop working. Returns them in plain (shown once)."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="backup", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [new_backup_code() for _ in range(BACKUP_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=hash_backup(c))
                                    for c in codes)
    return codes


@transaction.atomic
def new_backup_codes(user: User) -> list[str]:
    if not is_enrolled(user):
        raise InvalidInput("code", _("set up an authenticator app first"))
    codes = replace_backup_codes(user)
    emit(user, user, "update", "2fa-backup-codes")
    return codes


@transaction.atomic
def verify(user: User, code: str) -> Device | None:
    """The device that accepts `code` (6 digits: the app; else a backup code, used up),
    or None. Devices are row-locked, so one code cannot be accepted twice at once."""
    code = clean_code(code)
    if code.isdigit() and len(code) == TOTP_DIGITS:
        totp = (TOTPDevice.objects.select_for_update()
                .filter(user=user, confirmed=True).first())
        return totp if totp is not None and totp.verify_token(code) else None
    if len(code) != BACKUP_LENGTH:
        return None
    static = (StaticDevice.objects.select_for_update()
              .filter(user=user, confirmed=True).first())
    if static is None or not static.verify_token(hash_backup(code)):
        return None
    emit(user, user, "update", "2fa-backup-code-used")
    return static


@transaction.atomic
def remove_second_factor(actor: User | None, user: User, via: str = "web") -> None:
    """Remove the authenticator and backup codes and end every session (a patient turning
    it off, or the operator's `2fa reset` for a lost phone). Staff past their grace period
    are sent to enrolment at their next sign-in: a reset starts no new grace period."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    user.session_epoch += 1
    user.save(update_fields=["session_epoch"])
    emit(actor, user, "delete", "2fa-off" if actor == user else "2fa-reset", via)
