"""The site's URLs. Public pages are here; each audience's pages are in one module:
urls_me.py (the patient), urls_clinic.py (clinicians), urls_program.py (program admins),
urls_account.py (anyone's own account) and urls_api.py (the JSON API and its tokens)."""

from django.templatetags.static import static
from django.urls import URLPattern, URLResolver, include, path
from django.views.generic import RedirectView

from kratom_recovery.web import pwa, urls_account, urls_api, urls_clinic, urls_me, urls_program
from kratom_recovery.web.accounts import views as account_views
from kratom_recovery.web.followup import views as followup
from kratom_recovery.web.followup.referrals import views as referrals
from kratom_recovery.web.notify import views as notify
from kratom_recovery.web.patients import views as patient_views
from kratom_recovery.web.recovery import views as recovery
from kratom_recovery.web.safety import views as safety

urlpatterns: list[URLPattern | URLResolver] = [
    path("", account_views.home, name="home"),
    # Browsers ask for /favicon.ico whatever the page links; send them to the real icon.
    path("favicon.ico", RedirectView.as_view(url=static("img/favicon.svg"), permanent=True)),
    path("manifest.webmanifest", followup.manifest, name="manifest"),
    # The service worker from the root, so its scope is the whole site (web/pwa.py).
    path("sw.js", pwa.service_worker, name="service-worker"),
    path("offline/", pwa.offline, name="offline"),
    path("signup/", patient_views.signup, name="signup"),
    path("login/", account_views.sign_in, name="login"),
    path("login/code/", account_views.sign_in_code, name="login-code"),
    path("password-reset/", account_views.password_reset, name="password-reset"),
    path("password-reset/code/", account_views.password_reset_code,
         name="password-reset-code"),
    path("password-reset/<str:uidb64>/<str:token>/", account_views.password_reset_confirm,
         name="password-reset-confirm"),
    path("logout/", account_views.sign_out, name="logout"),
    # Probes for the operator: up (healthz) and able to deliver alerts (readyz).
    path("healthz", notify.healthz, name="healthz"),
    path("readyz", notify.readyz, name="readyz"),
    path("help/", safety.help_page, name="help"),
    path("help/find-treatment/", followup.find_treatment, name="find-treatment"),
    path("help/directory/", referrals.directory_search, name="directory"),
    path("learn/", recovery.learn_index, name="recovery-learn"),
    path("learn/<slug:slug>/", recovery.learn_page, name="recovery-learn-page"),
    # Calendar apps fetch this without a session; the token in the path is the key.
    path("feeds/<str:token>.ics", followup.feed, name="calendar-feed"),
    path("account/", include(urls_account)),
    path("me/", include(urls_me)),
    path("clinic/", include(urls_clinic)),
    path("program/", include(urls_program)),
    path("", include(urls_api)),
]
