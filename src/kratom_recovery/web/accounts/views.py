"""The role-based home, signing in (password, then the second factor), the account page,
two-factor enrolment, password change and reset, and signing out everywhere.
(A patient's sign-up is in patients/views.py; a clinician's reset code in clinic.)"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language
from django_otp import login as otp_login
from django_otp.models import Device

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.accounts import actions, passwords, sessions, throttle, twofactor
from kratom_recovery.web.accounts.client import client_address
from kratom_recovery.web.accounts.forms import (
    ChangePasswordForm,
    CodeForm,
    DisplayTimezoneForm,
    EnrolForm,
    NewPasswordForm,
    PasswordCheckForm,
    ResetCodeForm,
    ResetRequestForm,
    SignInForm,
    SignOutEverywhereForm,
)
from kratom_recovery.web.accounts.models import Role, User
from kratom_recovery.web.common.forms import add_domain_error

HOME_FOR_ROLE: dict[str, str] = {
    Role.PATIENT: "patient-home", Role.CLINICIAN: "caseload", Role.ADMIN: "program"
}
PENDING: Final = "sign_in_pending"  # the user who gave the password, awaiting the code
PENDING_SECONDS: Final = 5 * 60
# Unknown usernames and wrong passwords get this same sentence (no account is revealed).
WRONG_SIGN_IN = gettext_lazy("That username and password do not match. Check both and try "
                             "again.")


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "welcome.html")
    return redirect(HOME_FOR_ROLE[getattr(request.user, "role", Role.PATIENT)])


@require_POST
def sign_out(request: HttpRequest) -> HttpResponseBase:
    """Sign out, and ask the browser to drop what this site kept on the device (the offline
    worker's caches, an unsent check-in, drafts): nothing personal stays after signing out.
    The page's script clears them first (js/offline.js); the header covers a page without it.
    """
    response = auth_views.LogoutView.as_view()(request)
    response["Clear-Site-Data"] = '"cache", "storage"'
    return response


def signed_in(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def locked_message(lock: throttle.Lock, now: datetime) -> str:
    return _("Too many failed attempts. Please wait %(n)d minute(s) and try again.") % {
        "n": lock.minutes_left(now)}


def safe_next(request: HttpRequest, value: object) -> str:
    if isinstance(value, str) and url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return value
    return ""


def no_store(response: HttpResponse) -> HttpResponse:
    """For pages that show a secret (backup codes, a QR code, a reset code)."""
    response["Cache-Control"] = "no-store"
    return response


def complete_sign_in(request: HttpRequest, user: User, device: Device | None,
                     username: str, next_url: str) -> HttpResponse:
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])  # the session backend
    if device is not None:
        otp_login(request, device)
    throttle.clear(username, client_address(request))
    return redirect(next_url or settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """Step one: the password. With a confirmed authenticator, step two asks for a code."""
    if request.user.is_authenticated:
        return redirect("home")
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        username, address = form.cleaned_data["username"], client_address(request)
        lock = throttle.locked(username, address, now)
        user = None if lock else authenticate(
            request, username=username, password=form.cleaned_data["password"])
        if lock is None and user is None:
            lock = throttle.record_failure(username, address, now)
            form.add_error(None, locked_message(lock, now) if lock else str(WRONG_SIGN_IN))
        elif lock is not None:
            form.add_error(None, locked_message(lock, now))
        elif isinstance(user, User) and twofactor.is_enrolled(user):
            request.session[PENDING] = {"user": user.pk, "username": username,
                                        "at": now.timestamp(), "next": next_url}
            return redirect("login-code")
        elif isinstance(user, User):
            return complete_sign_in(request, user, None, username, next_url)
    return render(request, "registration/login.html", {"form": form, "next": next_url})


def pending_user(request: HttpRequest, now: datetime) -> tuple[User, dict[str, Any]] | None:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or now.timestamp() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user_id = pending.get("user")
    if not isinstance(user_id, int):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    return None if user is None else (user, pending)


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_code(request: HttpRequest) -> HttpResponse:
    """Step two: a code from the authenticator app or a backup code."""
    now = timezone.now()
    found = pending_user(request, now)
    if found is None:
        request.session.pop(PENDING, None)
        messages.info(request, _("Please sign in with your username and password first."))
        return redirect("login")
    user, pending = found
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address = client_address(request)
        lock = throttle.locked(pending["username"], address, now)
        device = None if lock else twofactor.verify(user, form.cleaned_data["code"])
        if lock is None and device is None:
            lock = throttle.record_failure(pending["username"], address, now)
            form.add_error("code", locked_message(lock, now) if lock else _(
                "That code did not work. Type the code your app shows now (each code works "
                "once), or a backup code."))
        elif lock is not None:
            form.add_error("code", locked_message(lock, now))
        else:
            del request.session[PENDING]
            return complete_sign_in(request, user, device, pending["username"],
                                    pending.get("next", ""))
    return render(request, "registration/login_code.html", {"form": form})


@login_required
@require_http_methods(["GET"])
def account(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    zone_form = (None if user.role == Role.PATIENT
                 else DisplayTimezoneForm(initial={"timezone": user.timezone}))
    return account_page(request, user, zone_form)


def account_page(request: HttpRequest, user: User, zone_form: DisplayTimezoneForm | None,
                 status: int = 200) -> HttpResponse:
    return render(request, "accounts/account.html", {
        "enrolled": twofactor.is_enrolled(user),
        "deadline": twofactor.grace_deadline(user),
        "everywhere_form": SignOutEverywhereForm(),
        "zone_form": zone_form,
    }, status=status)


@login_required
@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """A patient's language: kept on the account (it follows them to another device) and in
    the language cookie (for the pages before sign-in); then Django's own switch redirects."""
    user = signed_in(request)
    if user.role == Role.PATIENT:
        try:
            actions.set_language(user, request.POST.get("language"))
        except InvalidInput as error:
            messages.error(request, error.message)
            return redirect("account")
    return set_language(request)


@login_required
@require_POST
def display_timezone(request: HttpRequest) -> HttpResponse:
    """Staff pick the zone clinician-side times are shown in (empty: the program's)."""
    user = signed_in(request)
    if user.role == Role.PATIENT:
        raise PermissionDenied
    form = DisplayTimezoneForm(request.POST)
    if form.is_valid():
        try:
            actions.set_display_timezone(user, form.cleaned_data["timezone"])
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Times are now shown in %(zone)s.") % {
                "zone": user.timezone or _("the program's time zone")})
            return redirect("account")
    return account_page(request, user, form, status=400)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Enrolment (QR code and secret, confirmed by a first code), or the current state."""
    user = signed_in(request)
    if twofactor.is_enrolled(user):
        return render(request, "accounts/two_factor.html", {
            "enrolled": True, "verified": twofactor.is_verified(request),
            "codes_left": twofactor.backup_codes_left(user),
            "off_form": PasswordCheckForm() if user.is_patient else None,
        })
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = twofactor.confirm_enrolment(user, form.cleaned_data["code"])
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            update_session_auth_hash(request, user)  # other sessions end, this one stays
            otp_login(request, device)
            return no_store(render(request, "accounts/backup_codes.html",
                                   {"codes": codes, "first": True}))
    device = twofactor.pending_device(user)
    deadline = twofactor.grace_deadline(user)
    return no_store(render(request, "accounts/two_factor.html", {
        "enrolled": False, "form": form, "qr": twofactor.qr_data_uri(device),
        "secret": twofactor.secret_text(device), "deadline": deadline,
        "overdue": deadline is not None and timezone.now() >= deadline,
    }))


@login_required
@require_POST
def backup_codes(request: HttpRequest) -> HttpResponse:
    """Ten new backup codes (the old ones stop working); only from a verified session."""
    user = signed_in(request)
    if not twofactor.is_verified(request):
        raise PermissionDenied
    try:
        codes = twofactor.new_backup_codes(user)
    except InvalidInput as error:
        messages.error(request, error.message)
        return redirect("two-factor")
    return no_store(render(request, "accounts/backup_codes.html", {"codes": codes}))


@login_required
@sensitive_post_parameters("password")
@require_POST
def two_factor_off(request: HttpRequest) -> HttpResponse:
    """A patient turns two-factor sign-in off (it is optional for them), with the password."""
    user = signed_in(request)
    if not user.is_patient:
        raise PermissionDenied  # required of staff; a lost phone is the operator's reset
    form = PasswordCheckForm(request.POST)
    if form.is_valid() and user.check_password(form.cleaned_data["password"]):
        twofactor.remove_second_factor(user, user)
        update_session_auth_hash(request, user)
        messages.success(request, _("Two-factor sign-in is off."))
        return redirect("account")
    messages.error(request, _("That password is not right; two-factor sign-in stays on."))
    return redirect("two-factor")


@login_required
@sensitive_post_parameters("current_password", "new_password", "new_password2")
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = ChangePasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        now, address = timezone.now(), client_address(request)
        lock = throttle.locked(user.username, address, now)
        if lock is not None:
            form.add_error(None, locked_message(lock, now))
        else:
            data = form.cleaned_data
            try:
                passwords.change_password(user, data["current_password"], data["new_password"],
                                          revoke_tokens=data["revoke_tokens"], now=now)
            except InvalidInput as error:
                if error.field == "current_password":
                    throttle.record_failure(user.username, address, now)
                add_domain_error(form, error)
            else:
                update_session_auth_hash(request, user)
                messages.success(request, _("Your password is changed. Your other sessions "
                                            "are signed out."))
                return redirect("account")
    return render(request, "accounts/password_change.html", {"form": form})


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    """Ask for a reset link by e-mail. The answer never says whether the address is known."""
    form = ResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        lock = throttle.allow("reset-mail", client_address(request), now)
        if lock is not None:
            form.add_error(None, locked_message(lock, now))
        else:
            passwords.send_reset_links(form.cleaned_data["email"])
            return render(request, "accounts/reset_sent.html")
    return render(request, "accounts/password_reset.html", {"form": form})


@sensitive_post_parameters("new_password", "new_password2")
@never_cache
@require_http_methods(["GET", "POST"])
def password_reset_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    if passwords.user_for_link(uidb64, token) is None:
        return render(request, "accounts/reset_invalid.html", status=404)  # gone or never was
    form = NewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            passwords.reset_with_link(uidb64, token, form.cleaned_data["new_password"])
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            return reset_done(request)
    return render(request, "accounts/password_new.html", {"form": form})


def reset_done(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        logout(request)
    messages.success(request, _("Your password is changed and every session is signed out. "
                                "Sign in with the new password."))
    return redirect("login")


@sensitive_post_parameters("code", "new_password", "new_password2")
@never_cache
@require_http_methods(["GET", "POST"])
def password_reset_code(request: HttpRequest) -> HttpResponse:
    """Reset with the code a clinician read out. Wrong codes count toward the throttle."""
    form = ResetCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        now, address = timezone.now(), client_address(request)
        data = form.cleaned_data
        lock = throttle.locked(data["username"], address, now)
        if lock is not None:
            form.add_error(None, locked_message(lock, now))
        else:
            try:
                passwords.reset_with_code(data["username"], data["code"], data["new_password"],
                                          now)
            except InvalidInput as error:
                if error.field == "code":
                    lock = throttle.record_failure(data["username"], address, now)
                add_domain_error(form, error)
                if lock is not None:
                    form.add_error(None, locked_message(lock, now))
            else:
                return reset_done(request)
    return render(request, "accounts/password_reset_code.html", {"form": form})


@login_required
@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = SignOutEverywhereForm(request.POST)
    revoke = form.is_valid() and form.cleaned_data["revoke_tokens"]
    sessions.sign_out_everywhere(user, revoke_tokens=revoke)
    logout(request)
    messages.success(request, _("You are signed out on every device.") + (
        " " + _("Your API tokens are revoked.") if revoke else ""))
    return redirect("login")
