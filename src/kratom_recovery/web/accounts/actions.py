"""State changes for accounts: credentials, staff creation, invite codes.

A patient's sign-up and joining a caseload create or change a Patient, so they live in
patients/actions.py, which builds on this app.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.accounts.models import InviteCode, Role, User
from kratom_recovery.web.common.text import check_line
from kratom_recovery.web.common.zones import check_timezone

USERNAME_MAX = 150
# Self sign-up is for people 13 and older (children's-privacy law, e.g. the US COPPA, sets
# the line at 13); younger people are refused and nothing is stored about them.
MIN_SIGNUP_AGE = 13
MAX_AGE = 120


def check_signup_age(age: object) -> int:
    if isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= MAX_AGE:
        raise InvalidInput("age", _("give your age in whole years"))
    if age < MIN_SIGNUP_AGE:
        raise InvalidInput("age", _("you must be %(n)d or older to create an account; please "
                                    "talk to a parent, a doctor or a school counsellor, or use "
                                    "the help page") % {"n": MIN_SIGNUP_AGE})
    return age


def check_new_credentials(username: str, password: str) -> None:
    if not username or len(username) > USERNAME_MAX or not username.replace("_", "").replace(
        "-", ""
    ).replace(".", "").isalnum():
        raise InvalidInput(
            "username", _("use 1–150 letters, digits, dots, dashes or underscores")
        )
    if User.objects.filter(username__iexact=username).exists():
        raise InvalidInput("username", _("this username is taken"))
    try:
        validate_password(password, User(username=username))
    except ValidationError as error:
        raise InvalidInput("password", " ".join(error.messages)) from None


def find_invite(code: str) -> InviteCode:
    invite = (
        InviteCode.objects.select_for_update()
        .select_related("clinician")
        .filter(code=code.strip().upper())
        .first()
    )
    if invite is None or not invite.is_usable() or not invite.clinician.is_active:
        raise InvalidInput("invite_code", _("this invite code is not valid or has expired"))
    return invite


@transaction.atomic
def create_staff_user(
    username: str, password: str, role: str, display_name: str = "", email: str = ""
) -> User:
    """Clinicians and program admins are created by an admin or the CLI, never self-signed."""
    if role not in (Role.CLINICIAN, Role.ADMIN):
        raise InvalidInput("role", _("must be clinician or admin"))
    check_new_credentials(username, password)
    display_name = check_line("display_name", display_name, 80)
    return User.objects.create_user(
        username=username,
        password=password,
        role=role,
        display_name=display_name,
        email=email,
        is_staff=role == Role.ADMIN,
        second_factor_since=timezone.now(),  # the two-factor grace period starts now
    )


@transaction.atomic
def create_invite(clinician: User) -> InviteCode:
    if not clinician.is_clinician:
        raise InvalidInput("role", _("only clinicians hand out invite codes"))
    return InviteCode.objects.create(clinician=clinician)


@transaction.atomic
def set_language(user: User, code: object) -> User:
    """The language a patient chose for the app; one of the languages served."""
    served = [served_code for served_code, _name in settings.LANGUAGES]
    if code not in served:
        raise InvalidInput("language", _("must be one of: %(allowed)s")
                           % {"allowed": ", ".join(served)})
    user.language = str(code)
    user.save(update_fields=["language"])
    return user


def set_display_timezone(user: User, name: str) -> User:
    """The zone a staff member reads clinician-side times in; empty means the program's."""
    if user.role == Role.PATIENT:  # a patient's zone lives on their record (onboarding)
        raise InvalidInput("timezone", _("is set on your profile, not here"))
    user.timezone = check_timezone(name) if name else ""
    user.save(update_fields=["timezone"])
    return user
