"""Taper safeguards on the web: the clinician's sign-off before a patient's own 7-OH, pregnancy
or under-18 taper, and medicine plans' class warnings and large-cut confirmation."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.taper_cautions import CAUTION_BY_CLASS
from kratom_recovery.web.audit.models import AuditEntry
from kratom_recovery.web.patients.actions import complete_onboarding
from kratom_recovery.web.tapers import actions
from kratom_recovery.web.tapers.models import TaperPlanRecord, TaperSignoff
from tests.support.personas import NOW, profile_data

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 20)  # NOW in New York (the personas' zone)


@pytest.fixture(autouse=True)
def at_now() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def seven_oh_post(**overrides: str) -> dict[str, str]:
    data = {"product": "7-oh", "amount_per_day": "60", "unit": "mg", "doses_per_day": "3",
            "years_of_use": "1", "strategy": "percent", "rate_percent": "10", "step_days": "7",
            "precision": "1", "jump_off": "", "start": TODAY.isoformat()}
    data.update(overrides)
    return data


def errors(response: Any) -> str:
    form = response.context["form"]
    return " ".join(str(e) for e in form.non_field_errors()) + " ".join(
        str(e) for es in form.errors.values() for e in es)


# --- sign-off --------------------------------------------------------------------------------


def test_seven_oh_taper_waits_for_the_clinicians_signoff(
    client: Client, pat: Any, cleo: Any
) -> None:
    client.force_login(pat.user)
    refused = client.post(reverse("taper-new"), seven_oh_post())
    assert refused.status_code == 200
    assert "sign-off" in errors(refused) and "7-OH" in errors(refused)
    assert not TaperPlanRecord.objects.exists()

    client.force_login(cleo)
    page = client.get(reverse("clinic-tapers", args=[pat.pk]))
    assert "Sign off a self-started taper" in page.content.decode()
    client.post(reverse("clinic-taper-signoff", args=[pat.pk]), {"note": "Seen today."})
    signoff = TaperSignoff.objects.get(patient=pat)
    assert signoff.signed_by == cleo and "7-oh" in signoff.reasons
    assert AuditEntry.objects.filter(actor=cleo, patient=pat, action="create",
                                     target=f"taper-signoff:{signoff.pk}").exists()
    assert "Signed off by" in client.get(reverse("clinic-tapers", args=[pat.pk])).content.decode()

    client.force_login(pat.user)
    started = client.post(reverse("taper-new"), seven_oh_post())
    assert started.status_code == 302
    assert TaperPlanRecord.objects.get(patient=pat).request["product"] == "7-oh"


def test_leaf_taper_needs_no_signoff(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    page = client.get(reverse("taper-new"))
    assert not page.context["signoff_missing"]
    response = client.post(reverse("taper-new"), {
        **seven_oh_post(), "product": "leaf", "unit": "g", "amount_per_day": "15",
        "precision": ""})
    assert response.status_code == 302


def test_withdrawn_signoff_blocks_new_tapers_again(client: Client, pat: Any, cleo: Any) -> None:
    actions.sign_off_taper(pat, cleo, now=NOW)
    client.force_login(cleo)
    client.post(reverse("clinic-taper-signoff", args=[pat.pk]), {"withdraw": "1"})
    assert TaperSignoff.objects.get(patient=pat).withdrawn_at is not None
    assert AuditEntry.objects.filter(actor=cleo, target="taper-signoff-withdrawn").exists()
    with pytest.raises(InvalidInput) as caught:
        actions.start_taper(pat, pat.user, seven_oh_post(), now=NOW)
    assert caught.value.field == "signoff"


@pytest.mark.parametrize(
    ("profile", "reason"),
    [({"conditions": ["pregnancy"]}, "pregnant"), ({"age": 16}, "under 18")],
)
def test_pregnancy_and_minors_need_signoff_for_any_taper(
    client: Client, pat: Any, cleo: Any, profile: dict[str, Any], reason: str
) -> None:
    complete_onboarding(pat, pat.user, profile_data(**profile), now=NOW)
    client.force_login(pat.user)
    page = client.get(reverse("taper-new")).content.decode()
    assert reason in page  # said before the form, not only after a refused post
    leaf = {**seven_oh_post(), "product": "leaf", "unit": "g", "amount_per_day": "15",
            "precision": ""}
    refused = client.post(reverse("taper-new"), leaf)
    assert refused.status_code == 200 and reason in errors(refused)
    assert not TaperPlanRecord.objects.exists()
    actions.sign_off_taper(pat, cleo, now=NOW)
    assert client.post(reverse("taper-new"), leaf).status_code == 302


def test_a_signoff_does_not_cover_a_later_reason(pat: Any, cleo: Any) -> None:
    actions.sign_off_taper(pat, cleo, now=NOW)  # covers 7-OH, not a pregnancy reported later
    complete_onboarding(pat, pat.user, profile_data(conditions=["pregnancy"]), now=NOW)
    assert [r.id for r in actions.missing_signoff(pat, "leaf")] == ["pregnancy"]


def test_clinician_may_start_a_seven_oh_taper_for_the_patient(pat: Any, cleo: Any) -> None:
    record = actions.start_taper(pat, cleo, seven_oh_post(), now=NOW)
    assert record.created_by == cleo


def test_signoff_access(client: Client, pat: Any, otto: Any) -> None:
    url = reverse("clinic-taper-signoff", args=[pat.pk])
    client.force_login(otto)
    assert client.post(url, {"note": ""}).status_code == 404
    client.force_login(pat.user)
    assert client.post(url, {"note": ""}).status_code == 403
    assert not TaperSignoff.objects.exists()
    with pytest.raises(PermissionDenied):  # the action checks too, not only the view
        actions.sign_off_taper(pat, otto, now=NOW)


def test_signoff_note_too_long_writes_nothing(client: Client, pat: Any, cleo: Any) -> None:
    client.force_login(cleo)
    client.post(reverse("clinic-taper-signoff", args=[pat.pk]), {"note": "x" * 1001})
    assert not TaperSignoff.objects.exists()


# --- medicine plans ---------------------------------------------------------------------------


def medicine_post(**overrides: str) -> dict[str, str]:
    # 0.3 mg, 10% of the current amount, stop at 0.1 mg: every cut 25% or less.
    data = {"name": "Clonidine 0.1mg", "unit": "mg", "amount_per_day": "0.3",
            "doses_per_day": "3", "schedule": "fixed", "as_needed": "", "strategy": "percent",
            "rate_percent": "10", "step_days": "7", "precision": "0.025", "jump_off": "0.1",
            "start": TODAY.isoformat()}
    data.update(overrides)
    return data


def test_small_cuts_need_no_confirmation_and_show_the_class_warning(
    client: Client, pat: Any, cleo: Any
) -> None:
    client.force_login(cleo)
    response = client.post(reverse("clinic-medication-new", args=[pat.pk]), medicine_post())
    assert response.status_code == 302
    record = TaperPlanRecord.objects.get(patient=pat)
    page = client.get(reverse("clinic-taper", args=[pat.pk, record.series])).content.decode()
    assert "rebound high blood pressure" in page
    assert CAUTION_BY_CLASS["alpha2-agonist"].text in page


def test_large_medicine_cut_is_refused_without_confirmation(
    client: Client, pat: Any, cleo: Any
) -> None:
    client.force_login(cleo)
    url = reverse("clinic-medication-new", args=[pat.pk])
    refused = client.post(url, medicine_post(name="Xanax", jump_off="", rate_percent="30"))
    assert refused.status_code == 200
    assert "confirm_large_cuts" in refused.context["form"].errors
    assert not TaperPlanRecord.objects.exists()
    saved = client.post(url, medicine_post(name="Xanax", jump_off="", rate_percent="30",
                                           confirm_large_cuts="on"))
    assert saved.status_code == 302
    record = TaperPlanRecord.objects.get(patient=pat)
    assert record.request["confirm_large_cuts"] is True
    page = client.get(reverse("clinic-taper", args=[pat.pk, record.series])).content.decode()
    assert "seizures" in page


def test_an_edit_confirms_its_own_large_cuts(pat: Any, cleo: Any) -> None:
    record = actions.record_medication_plan(
        pat, cleo, {**medicine_post(rate_percent="30", jump_off=""), "confirm_large_cuts": True},
        now=NOW)
    with pytest.raises(InvalidInput) as caught:
        actions.edit_taper(record, cleo, {"step_days": 14}, reason="Slower.", now=NOW)
    assert caught.value.field == "confirm_large_cuts"
    assert TaperPlanRecord.objects.filter(series=record.series).count() == 1


# --- the API's pure taper tool ------------------------------------------------------------------


def test_api_taper_plan_asks_for_confirm_large_cuts(client: Client, cleo: Any) -> None:
    from tests.support.api import call, token_for

    token = token_for(cleo)
    body = {"kind": "medication", "name": "Xanax", "unit": "mg", "amount_per_day": 2.0,
            "doses_per_day": 2, "strategy": "percent", "rate_percent": 25.0, "step_days": 14,
            "precision": 0.25, "start": "2026-12-01"}
    refused = call(client, "POST", "/taper/plan", token, body)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "confirm_large_cuts"
    plan = call(client, "POST", "/taper/plan", token, {**body, "confirm_large_cuts": True})
    assert plan.status_code == 200 and any("seizures" in w for w in plan.json()["warnings"])
    near_miss = call(client, "POST", "/taper/plan", token, {**body, "jump_off": 1.0})
    assert near_miss.status_code == 200
    not_bool = call(client, "POST", "/taper/plan", token, {**body, "confirm_large_cuts": "yes"})
    assert not_bool.status_code == 422
    assert not_bool.json()["detail"][0]["field"] == "confirm_large_cuts"
    preset = call(client, "POST", "/taper/plan", token, {
        "product": "leaf", "amount_per_day": 20.0, "unit": "g", "doses_per_day": 2,
        "strategy": "clinical-linear", "years_of_use": 3.0, "start": "2026-12-01"})
    assert preset.status_code == 200 and preset.json()["total_days"] == 300
