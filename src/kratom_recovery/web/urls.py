from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from kratom_recovery.web.accounts import views as account_views
from kratom_recovery.web.accounts.forms import ThrottledAuthenticationForm
from kratom_recovery.web.api.api import api
from kratom_recovery.web.clinic import views as clinic_views
from kratom_recovery.web.pages import views as pages
from kratom_recovery.web.patients import views as patient_views

urlpatterns = [
    path("", account_views.home, name="home"),
    # Browsers ask for /favicon.ico whatever the page links; send them to the real icon.
    path("favicon.ico", RedirectView.as_view(url=static("img/favicon.svg"), permanent=True)),
    path("signup/", patient_views.signup, name="signup"),
    path("login/", auth_views.LoginView.as_view(
        redirect_authenticated_user=True, authentication_form=ThrottledAuthenticationForm,
    ), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("me/", pages.home, name="patient-home"),
    path("me/onboarding/", patient_views.onboarding, name="onboarding"),
    path("me/checkin/", patient_views.checkin, name="checkin"),
    path("me/questionnaires/<slug:instrument_id>/", patient_views.questionnaire,
         name="questionnaire"),
    path("me/use/", patient_views.log_use, name="log-use"),
    path("me/join/", patient_views.join, name="join"),
    path("clinic/", clinic_views.caseload, name="caseload"),
    path("clinic/invites/", clinic_views.new_invite, name="new-invite"),
    path("clinic/patients/<int:patient_id>/", pages.chart, name="chart"),
    path("clinic/patients/<int:patient_id>/notes/", clinic_views.notes, name="notes"),
    path("clinic/patients/<int:patient_id>/cows/", clinic_views.cows, name="cows"),
    path("program/", clinic_views.program, name="program"),
    path("program/clinicians/", clinic_views.add_clinician, name="add-clinician"),
    path("program/clinicians/<int:user_id>/active/", clinic_views.clinician_active,
         name="clinician-active"),
    path("program/caseloads/", clinic_views.assignments, name="assignments"),
    path("api/v1/", api.urls),
    path("", include("kratom_recovery.web.api.urls")),
    path("", include("kratom_recovery.web.safety.urls")),
    path("", include("kratom_recovery.web.tapers.urls")),
    path("", include("kratom_recovery.web.recovery.urls")),
    path("", include("kratom_recovery.web.exports.urls")),
    path("", include("kratom_recovery.web.followup.urls")),
]
