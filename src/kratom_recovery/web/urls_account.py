"""Every signed-in person's own account pages, under /account/ (any role); signing in and
the password-reset pages are public and live in urls.py."""

from django.urls import URLPattern, URLResolver, path

from kratom_recovery.web.accounts import views as accounts

urlpatterns: list[URLPattern | URLResolver] = [
    path("", accounts.account, name="account"),
    path("two-factor/", accounts.two_factor, name="two-factor"),
    path("two-factor/backup-codes/", accounts.backup_codes, name="two-factor-backup-codes"),
    path("two-factor/off/", accounts.two_factor_off, name="two-factor-off"),
    path("password/", accounts.password_change, name="password-change"),
    path("time-zone/", accounts.display_timezone, name="account-timezone"),
    path("language/", accounts.language, name="set-language"),
    path("sign-out-everywhere/", accounts.sign_out_everywhere, name="sign-out-everywhere"),
]
