"""Every page a program admin reaches, under /program/: clinicians, caseloads, exports and
the referral directory."""

from django.urls import URLPattern, URLResolver, path

from kratom_recovery.web.audit import views as audit
from kratom_recovery.web.bedside import views as bedside
from kratom_recovery.web.clinic import views as clinic
from kratom_recovery.web.exports import views as exports
from kratom_recovery.web.followup.referrals import views as referrals
from kratom_recovery.web.program import views as program

urlpatterns: list[URLPattern | URLResolver] = [
    path("", clinic.program, name="program"),
    path("clinicians/", clinic.add_clinician, name="add-clinician"),
    path("clinicians/<int:user_id>/active/", clinic.clinician_active, name="clinician-active"),
    path("caseloads/", clinic.assignments, name="assignments"),
    path("settings/", program.program_settings, name="program-settings"),
    path("on-call/", program.on_call, name="on-call"),
    path("on-call/<int:shift_id>/remove/", program.remove_shift, name="remove-shift"),
    path("lab-analytes/", bedside.analytes, name="lab-analytes"),
    path("lab-analytes/new/", bedside.analyte_new, name="lab-analyte-new"),
    path("lab-analytes/<int:analyte_id>/", bedside.analyte_edit, name="lab-analyte-edit"),
    path("induction/", bedside.induction_threshold, name="induction-threshold"),
    path("exports/", exports.program_exports, name="program-exports"),
    path("exports/research.csv", exports.research_csv, name="export-research"),
    path("directory/", referrals.admin_directory, name="admin-directory"),
    path("directory/new/", referrals.edit_referral, name="new-referral"),
    path("directory/<int:referral_id>/edit/", referrals.edit_referral, name="edit-referral"),
    path("directory/import/", referrals.import_referrals, name="import-referrals"),
    path("audit/", audit.audit_log, name="audit-log"),
]
