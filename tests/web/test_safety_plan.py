"""The clinician's suicide-risk assessment and the safety plan: the writers (bad input names
the field and writes nothing; every save audited), the pages for the patient (help page,
tel:/sms: links) and the care team (chart, alert page), the API (caseload only, roles,
idempotent POSTs, stale versions refused) and the exports (FHIR validated, JSON)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.riskassessment import RiskAssessment

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.safety_plan import MAX_CONTACTS, MAX_ITEM, MAX_ITEMS
from kratom_recovery.web.audit.models import AuditEntry
from kratom_recovery.web.exports.actions import fhir_export, personal_download
from kratom_recovery.web.safety.models import Alert, SafetyPlanVersion, SuicideRiskAssessment
from kratom_recovery.web.safety.plan import actions
from kratom_recovery.web.safety.plan.actions import HIGH_RISK_RULE
from tests.support.api import call, token_for

pytestmark = pytest.mark.django_db

PLAN: dict[str, Any] = {
    "warning_signs": ["Not sleeping", "Pulling away from friends"],
    "coping": ["Walk the dog"],
    "distractions": ["The library café"],
    "helpers": [{"name": "Sis Robin", "phone": "(555) 010-2233"}],
    "professionals": [{"name": "Dr Lee", "phone": "+1 555 010 9999"}],
    "environment": ["Ask Robin to keep my old pills"],
    "reasons": ["My kids"],
}


def assess(pat: Any, cleo: Any, rating: str = "moderate", **extra: Any) -> Any:
    return actions.record_risk_assessment(pat, cleo, rating=rating,
                                          reasons="Recent loss; engaged in care.", **extra)


# --- the risk assessment writer ----------------------------------------------------------------


@pytest.mark.parametrize(("field", "values"), [
    ("rating", {"rating": "severe"}),
    ("rating", {"rating": 3}),
    ("reasons", {"reasons": "   "}),
    ("reasons", {"reasons": "x" * 2001}),
    ("risk_factors", {"risk_factors": ["x" * 201]}),
    ("risk_factors", {"risk_factors": "one line"}),
    ("protective_factors", {"protective_factors": [f"f{i}" for i in range(13)]}),
    ("assessed_at", {"assessed_at": timezone.now() + timedelta(hours=1)}),
])
def test_bad_assessment_names_the_field_and_writes_nothing(pat: Any, cleo: Any, field: str,
                                                           values: dict[str, Any]) -> None:
    given: dict[str, Any] = {"rating": "low", "reasons": "ok", **values}
    with pytest.raises(InvalidInput) as caught:
        actions.record_risk_assessment(pat, cleo, **given)
    assert caught.value.field == field
    assert not SuicideRiskAssessment.objects.exists()
    assert not AuditEntry.objects.filter(target__startswith="risk-assessment").exists()


def test_assessment_is_audited_and_only_high_opens_a_warning(pat: Any, cleo: Any) -> None:
    row = assess(pat, cleo, "moderate", risk_factors=["recent loss", ""],
                 protective_factors=["children"])
    assert row.risk_factors == ["recent loss"]
    assert AuditEntry.objects.filter(actor=cleo, target=f"risk-assessment:{row.pk}").exists()
    assert not Alert.objects.filter(rule=HIGH_RISK_RULE).exists()
    assess(pat, cleo, "high")
    alert = Alert.objects.get(patient=pat, rule=HIGH_RISK_RULE)
    assert alert.severity == "warning" and alert.is_open  # heads the list, pages no one
    assert alert.why == "Clinician-rated suicide risk: high"
    assess(pat, cleo, "high")
    assert Alert.objects.filter(rule=HIGH_RISK_RULE).count() == 1  # one open per rule


# --- the plan writer ---------------------------------------------------------------------------


def test_plan_versions_keep_who_and_when_and_every_save_is_audited(pat: Any, cleo: Any) -> None:
    first = actions.save_safety_plan(pat, pat.user, PLAN, base_version=0)
    assert first.version == 1 and first.saved_by == pat.user
    assert first.sections["helpers"] == [{"name": "Sis Robin", "phone": "(555) 010-2233"}]
    assert AuditEntry.objects.filter(actor=pat.user, target="safety-plan:1").exists()
    same = actions.save_safety_plan(pat, cleo, PLAN, base_version=1)
    assert same.pk == first.pk  # nothing new to keep
    second = actions.save_safety_plan(pat, cleo, {**PLAN, "coping": ["Walk", "Music"]},
                                      base_version=1)
    assert second.version == 2 and second.saved_by == cleo
    assert AuditEntry.objects.filter(actor=cleo, target="safety-plan:2").exists()
    assert actions.current_plan(pat) == second
    assert list(SafetyPlanVersion.objects.filter(patient=pat).values_list("version", flat=True)
                ) == [2, 1]


@pytest.mark.parametrize(("field", "sections"), [
    ("warning_signs", {}),
    ("warning_signs", {"warning_signs": ["", "  "]}),
    ("mood", {**PLAN, "mood": ["x"]}),
    ("coping", {**PLAN, "coping": "a string, not a list"}),
    ("coping", {**PLAN, "coping": ["x" * (MAX_ITEM + 1)]}),
    ("coping", {**PLAN, "coping": [f"line {i}" for i in range(MAX_ITEMS + 1)]}),
    ("warning_signs", {**PLAN, "warning_signs": ["bad\x00byte"]}),
    ("helpers_1_phone", {**PLAN, "helpers": [{"name": "Robin", "phone": "call me"}]}),
    ("helpers_2_phone", {**PLAN, "helpers": [{"name": "A", "phone": "555"},
                                             {"name": "B", "phone": "12"}]}),
    ("professionals_1_name", {**PLAN, "professionals": [{"name": "", "phone": "555 0100"}]}),
    ("helpers", {**PLAN, "helpers": [{"name": f"P{i}", "phone": ""}
                                     for i in range(MAX_CONTACTS + 1)]}),
    ("sections", ["not", "a", "mapping"]),
])
def test_bad_plan_names_the_field_and_writes_nothing(pat: Any, field: str,
                                                     sections: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        actions.save_safety_plan(pat, pat.user, sections)
    assert caught.value.field == field
    assert not SafetyPlanVersion.objects.exists()
    assert not AuditEntry.objects.filter(target__startswith="safety-plan").exists()


def test_a_save_over_a_newer_version_is_refused(pat: Any, cleo: Any) -> None:
    actions.save_safety_plan(pat, pat.user, PLAN, base_version=0)
    actions.save_safety_plan(pat, cleo, {**PLAN, "coping": ["Music"]}, base_version=1)
    with pytest.raises(InvalidInput) as caught:
        actions.save_safety_plan(pat, pat.user, {**PLAN, "coping": ["Run"]}, base_version=1)
    assert caught.value.field == "version"
    assert SafetyPlanVersion.objects.count() == 2


# --- pages ------------------------------------------------------------------------------------


def test_patient_sees_the_plan_on_the_help_page_with_call_and_text_links(
        client: Client, pat: Any, cleo: Any) -> None:
    client.force_login(pat.user)
    page = client.get(reverse("help")).content.decode()
    assert 'data-testid="help-safety-plan"' in page and "Write my safety plan" in page
    actions.save_safety_plan(pat, cleo, PLAN)
    page = client.get(reverse("help")).content.decode()
    assert "Pulling away from friends" in page
    assert 'href="tel:5550102233"' in page and 'href="sms:5550102233"' in page
    assert 'href="tel:+15550109999"' in page
    assert 'href="tel:988"' in page and 'href="tel:911"' in page
    assert "Cleo, my clinician" in page
    assert "Last changed by Cleo" in page
    assert page.index('data-testid="help-plan-jump"') < page.index('data-resource="911"')
    client.logout()
    anonymous = client.get(reverse("help")).content.decode()
    assert "help-safety-plan" not in anonymous and "Pulling away" not in anonymous


def test_patient_writes_the_plan_and_bad_input_names_the_field(client: Client,
                                                               pat: Any) -> None:
    client.force_login(pat.user)
    url = reverse("my-safety-plan-edit")
    assert client.get(url).status_code == 200
    bad = client.post(url, {"version": "0", "warning_signs": "Not sleeping",
                            "helpers_1_name": "Robin", "helpers_1_phone": "call me"})
    assert bad.status_code == 400
    assert "must be a phone number" in bad.content.decode()
    assert not SafetyPlanVersion.objects.exists()
    good = client.post(url, {"version": "0", "warning_signs": "Not sleeping\n\nNo appetite",
                             "helpers_1_name": "Robin", "helpers_1_phone": "555 0100"})
    assert good.status_code == 302
    plan = actions.current_plan(pat)
    assert plan is not None
    assert plan.sections["warning_signs"] == ["Not sleeping", "No appetite"]
    assert plan.sections["helpers"] == [{"name": "Robin", "phone": "555 0100"}]
    page = client.get(reverse("my-safety-plan")).content.decode()
    assert "Version 1, last changed by you" in page and "sp-print" in page
    stale = client.post(url, {"version": "0", "warning_signs": "Other"})
    assert stale.status_code == 400 and 'data-testid="version-error"' in stale.content.decode()


def test_care_team_pages_work_audited_and_others_are_refused(client: Client, pat: Any,
                                                             cleo: Any, otto: Any) -> None:
    actions.save_safety_plan(pat, pat.user, PLAN)
    client.force_login(cleo)
    view = client.get(reverse("clinic-safety-plan", args=[pat.pk]))
    assert view.status_code == 200 and "last changed by the patient" in view.content.decode()
    assert AuditEntry.objects.filter(actor=cleo, action="read", target="safety-plan").exists()
    edit = client.post(reverse("clinic-safety-plan-edit", args=[pat.pk]),
                       {"version": "1", "warning_signs": "Not sleeping", "coping": "Music"})
    assert edit.status_code == 302
    assert actions.current_plan(pat).version == 2  # type: ignore[union-attr]
    risk = reverse("clinic-risk-assessment", args=[pat.pk])
    assert client.get(risk).status_code == 200
    bad = client.post(risk, {"rating": "severe", "reasons": "x"})
    assert bad.status_code == 400 and not SuicideRiskAssessment.objects.exists()
    assert client.post(risk, {"rating": "high", "reasons": "Plan and means",
                              "risk_factors": "recent loss\n"}).status_code == 302
    chart = client.get(reverse("chart", args=[pat.pk])).content.decode()
    assert 'data-testid="chart-safety-plan"' in chart
    assert chart.index("chart-safety-plan") < chart.index("checkins-h")  # high: at the top
    client.force_login(otto)
    for name in ("clinic-safety-plan", "clinic-safety-plan-edit", "clinic-risk-assessment"):
        assert client.get(reverse(name, args=[pat.pk])).status_code == 404
    assert client.get(reverse("my-safety-plan")).status_code == 403
    client.force_login(pat.user)
    assert client.get(reverse("clinic-safety-plan", args=[pat.pk])).status_code == 403


def test_chart_card_costs_no_query_without_a_rating_or_plan(client: Client, pat: Any,
                                                             cleo: Any) -> None:
    client.force_login(cleo)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("chart", args=[pat.pk])).content.decode()
    assert "No suicide-risk assessment recorded." in page and "No safety plan yet." in page
    own = [q["sql"] for q in queries.captured_queries
           if "safety_safetyplanversion" in q["sql"] and "patients_patient" not in q["sql"]]
    assert own == []
    assess(pat, cleo, "low")
    page = client.get(reverse("chart", args=[pat.pk])).content.decode()
    assert "Clinician's rating: <strong" in page and "No safety plan yet." in page


def test_suicide_alert_page_and_crisis_card_point_to_the_plan(client: Client, pat: Any,
                                                              cleo: Any) -> None:
    assess(pat, cleo, "high")
    alert = Alert.objects.get(rule=HIGH_RISK_RULE)
    client.force_login(cleo)
    page = client.get(reverse("alert", args=[alert.pk])).content.decode()
    assert 'data-testid="alert-safety-plan"' in page and "No safety plan yet." in page
    from kratom_recovery.web.safety.plan.panels import crisis_line

    now = timezone.now()
    assert crisis_line(pat, pat.user, now) is None
    actions.save_safety_plan(pat, pat.user, PLAN)
    assert crisis_line(pat, pat.user, now) is not None
    assert crisis_line(pat, cleo, now) is None


# --- API ----------------------------------------------------------------------------------------


def test_api_risk_assessments_for_the_care_team_only(client: Client, pat: Any, cleo: Any,
                                                     otto: Any) -> None:
    path = f"/patients/{pat.pk}/risk-assessments"
    body = {"rating": "high", "reasons": "Plan and means", "risk_factors": ["recent loss"]}
    token = token_for(cleo)
    first = call(client, "POST", path, token, body, **{"Idempotency-Key": "risk-1"})
    assert first.status_code == 201, first.content
    again = call(client, "POST", path, token, body, **{"Idempotency-Key": "risk-1"})
    assert again.status_code == 201 and again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert SuicideRiskAssessment.objects.count() == 1
    listed = call(client, "GET", path, token)
    assert listed.status_code == 200 and listed.json()["items"][0]["rating"] == "high"
    bad = call(client, "POST", path, token, {"rating": "severe", "reasons": "x"})
    assert bad.status_code == 422 and "rating" in bad.content.decode()
    assert call(client, "POST", path, token_for(otto), body).status_code == 404
    assert call(client, "GET", path, token_for(pat.user, "mine")).status_code == 403
    assert call(client, "POST", path, token_for(pat.user, "mine2"), body).status_code == 403
    assert SuicideRiskAssessment.objects.count() == 1


def test_api_plan_by_patient_and_care_team_with_versions(client: Client, pat: Any, cleo: Any,
                                                         otto: Any) -> None:
    path = f"/patients/{pat.pk}/safety-plan"
    mine = token_for(pat.user)
    empty = call(client, "GET", path, mine)
    assert empty.status_code == 200 and empty.json()["version"] == 0
    saved = call(client, "POST", path, mine, {"base_version": 0, "sections": PLAN},
                 **{"Idempotency-Key": "plan-1"})
    assert saved.status_code == 201 and saved.json()["saved_by"] == "patient"
    replay = call(client, "POST", path, mine, {"base_version": 0, "sections": PLAN},
                  **{"Idempotency-Key": "plan-1"})
    assert replay.status_code == 201 and SafetyPlanVersion.objects.count() == 1
    theirs = call(client, "POST", path, token_for(cleo),
                  {"base_version": 1, "sections": {**PLAN, "coping": ["Music"]}})
    assert theirs.status_code == 201 and theirs.json()["version"] == 2
    stale = call(client, "POST", path, mine, {"base_version": 1, "sections": PLAN})
    assert stale.status_code == 422 and "version" in stale.content.decode()
    phone = call(client, "POST", path, mine, {"base_version": 2, "sections": {
        **PLAN, "helpers": [{"name": "Robin", "phone": "call me"}]}})
    assert phone.status_code == 422 and "helpers_1_phone" in phone.content.decode()
    assert SafetyPlanVersion.objects.count() == 2
    assert call(client, "GET", path, token_for(otto)).status_code == 404
    assert call(client, "POST", path, token_for(otto),
                {"sections": PLAN}).status_code == 404


# --- exports -----------------------------------------------------------------------------------


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_fhir_bundle_carries_the_plan_and_ratings_validated(pat: Any, cleo: Any) -> None:
    actions.save_safety_plan(pat, pat.user, PLAN)
    assess(pat, cleo, "high", risk_factors=["recent loss"])
    named = fhir_export(pat, cleo, pseudonymous=False)
    Bundle.model_validate(named)
    [plan] = [p for p in _resources(named, "CarePlan")
              if p["category"][0]["coding"][0]["code"] == "safety-plan"]
    CarePlan.model_validate(plan)
    lines = [a["detail"]["description"] for a in plan["activity"]]
    assert "Sis Robin: (555) 010-2233" in lines and "Not sleeping" in lines
    [rating] = _resources(named, "RiskAssessment")
    RiskAssessment.model_validate(rating)
    assert rating["prediction"][0]["qualitativeRisk"]["coding"][0]["code"] == "high"
    assert "Recent loss" in rating["note"][0]["text"]
    pseudonymous = json.dumps(fhir_export(pat, cleo, pseudonymous=True))
    Bundle.model_validate(json.loads(pseudonymous))
    for words in ("Sis Robin", "010-2233", "Not sleeping", "Recent loss"):
        assert words not in pseudonymous
    own = fhir_export(pat, pat.user, pseudonymous=False)
    Bundle.model_validate(own)
    [own_rating] = _resources(own, "RiskAssessment")
    assert "note" not in own_rating  # the care team's words stay with the care team
    assert any("Sis Robin" in a["detail"].get("description", "")
               for p in _resources(own, "CarePlan") for a in p.get("activity", []))


def test_personal_download_has_the_plan_and_the_rating_without_reasons(pat: Any,
                                                                       cleo: Any) -> None:
    actions.save_safety_plan(pat, pat.user, PLAN)
    assess(pat, cleo, "moderate")
    records = json.loads(personal_download(pat))["records"]
    [plan] = records["safety.safetyplanversion"]
    assert plan["sections"]["helpers"][0]["name"] == "Sis Robin"
    [rating] = records["safety.suicideriskassessment"]
    assert rating["rating"] == "moderate" and "reasons" not in rating
