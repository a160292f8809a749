"""The safety plan and the risk ratings as export data (care/fhir_safety_plan.py), for the
patient bundle the exports app builds."""

from __future__ import annotations

from kratom_recovery.care.fhir_safety_plan import ExportRiskAssessment, ExportSafetyPlan
from kratom_recovery.web.patients.models import Patient
from kratom_recovery.web.safety.models import SafetyPlanVersion, SuicideRiskAssessment


def export_safety_plan(patient: Patient) -> ExportSafetyPlan | None:
    """The plan in force, with when it was first written (two queries)."""
    versions = SafetyPlanVersion.objects.filter(patient=patient)
    latest = versions.first()
    if latest is None:
        return None
    first = (versions.order_by("version").values_list("saved_at", flat=True).first()
             or latest.saved_at)
    by = "patient" if latest.saved_by_id == patient.user_id else "care team"
    return ExportSafetyPlan(version=latest.version, created=first, updated_at=latest.saved_at,
                            updated_by=by, sections=latest.sections)


def export_risk_assessments(patient: Patient, *, with_reasons: bool
                            ) -> tuple[ExportRiskAssessment, ...]:
    """Every rating; the clinician's reasons and factors only in the care team's export
    (the patient's own download leaves out what the care team wrote for the care team)."""
    return tuple(
        ExportRiskAssessment(
            key=str(row.pk), rating=row.rating, assessed_at=row.assessed_at,
            reasons=row.reasons if with_reasons else "",
            risk_factors=tuple(row.risk_factors) if with_reasons else (),
            protective_factors=tuple(row.protective_factors) if with_reasons else (),
        )
        for row in SuicideRiskAssessment.objects.filter(patient=patient)
        .order_by("assessed_at", "pk")
    )
