"""Security review regressions: every URL that names an object refuses strangers, user text
never reaches a page unescaped, and a patient's "don't share my check-ins" also holds for the
timeline card and the API (issue: security/privacy review)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kratom_recovery.web.audit.models import AuditEntry
from tests.support.api import BASE, call, token_for
from tests.support.personas import NOW, PASSWORD
from tests.web.test_tapers import TODAY, medication, start

pytestmark = pytest.mark.django_db

# A string that is harmless only if escaped: it closes an attribute and opens an element.
HOSTILE = '"><svg onload=alert(1)>'
PARAM = re.compile(r"<(?:\w+:)?(\w+)>")
# Path parameters that name an object somebody owns (slugs of public content are not here).
OBJECT_PARAMS = {"patient_id", "series", "alert_id", "entry_id", "measure_id", "token_id",
                 "referral_id", "user_id", "token"}
ADMIN_OBJECTS = {"referral_id", "user_id"}  # the program admin's own business


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def routes(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def object_routes() -> list[tuple[str, list[str]]]:
    found = []
    for route, _pattern in routes(get_resolver().url_patterns):
        names = PARAM.findall(route)
        if route.startswith("admin/") or not OBJECT_PARAMS.intersection(names):
            continue
        found.append((route, names))
    return found


@pytest.fixture
def world(pat: Any, bob: Any, cleo: Any, otto: Any, ada: Any) -> dict[str, Any]:
    """One of every kind of object, all belonging to Pat (or to the program)."""
    from kratom_recovery.web.accounts.tokens import create_token
    from kratom_recovery.web.bedside import actions as bedside
    from kratom_recovery.web.exports.actions import write_discharge_summary
    from kratom_recovery.web.followup.referrals import actions as directory
    from kratom_recovery.web.recovery import actions as recovery
    from kratom_recovery.web.recovery.journal import actions as journal_actions
    from kratom_recovery.web.recovery.measures import actions as measure_actions
    from kratom_recovery.web.safety.actions import raise_alert

    exercise = recovery.save_exercise(pat, pat.user, "urge-surfing", {
        "craving_before": 5, "craving_after": 3, "seconds_done": 120})
    return {
        "patient_id": pat.pk,
        "series": start(pat).series,
        "medication": medication(pat, cleo).series,
        "alert_id": raise_alert(pat, rule="r", severity="warning", patient_message="p",
                                clinician_message="c", source="test").pk,
        "journal": journal_actions.add_journal_entry(pat, pat.user, text="private", shared=True).pk,
        "exercise": exercise.pk,
        "measure_id": measure_actions.add_measure(pat, pat.user, "Steps").pk,
        "token_id": create_token(pat.user, "pat's phone")[0].pk,
        "referral_id": directory.save_referral(None, {"name": "Clinic", "kind": "other",
                                                      "state": "CA", "zip": "90001"},
                                               now=NOW).pk,
        "user_id": cleo.pk,
        "token": "k" * 43,
        "uidb64": "MQ",  # with the token above: a reset link that does not work
        "instrument_id": "phq9",
        "order_id": bedside.create_order(pat, cleo, {
            "medicine": "clonidine", "dose": "0.1", "unit": "mg", "route": "oral",
            "kind": "prn", "indication": "restlessness", "max_per_24h": "0.2",
            "window_minutes": "60"}, []).pk,
        "summary_id": write_discharge_summary(pat, cleo, {
            "admitted_on": TODAY, "discharged_on": TODAY, "destination": "home"}).pk,
    }


def url_for(route: str, world: dict[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "entry_id":
            return str(world["journal"] if "journal" in route else world["exercise"])
        if name == "series" and "clinic" in route:
            return str(world["medication"])
        assert name in world, f"security review: give {name!r} in {route!r} a test value"
        return str(world[name])

    return "/" + PARAM.sub(value, route)


# Values a view would accept, so a missing ownership check would show up as a write.
FORM = {"note": "done", "reason": "because", "text": "edited", "subjective": "x",
        "amount": "1", "taken_at": "2026-11-20T09:00", "anchor": TODAY.isoformat(),
        "level": "1.0", "action": "revoke", "active": "0", "name": "Renamed", "kind": "other",
        "state": "CA", "zip": "90001", "starts_at": "2026-12-01T09:00",
        "duration_minutes": "30", "shared": "on"}


def snapshot(world: dict[str, Any]) -> dict[str, Any]:
    from kratom_recovery.web.accounts.models import ApiToken, User
    from kratom_recovery.web.clinic.models import ClinicalNote
    from kratom_recovery.web.followup.models import Appointment, FollowUpPlan, Referral
    from kratom_recovery.web.recovery.models import JournalEntry, OwnMeasure
    from kratom_recovery.web.safety.models import Alert, LevelOfCareDecision
    from kratom_recovery.web.tapers.models import DoseTaken, TaperPlanRecord

    return {
        "alert": Alert.objects.get(pk=world["alert_id"]).acknowledged_at,
        "tapers": list(TaperPlanRecord.objects.values_list("pk", "active").order_by("pk")),
        "doses": DoseTaken.objects.count(),
        "journal": JournalEntry.objects.get(pk=world["journal"]).text,
        "measure": OwnMeasure.objects.get(pk=world["measure_id"]).archived,
        "token": ApiToken.objects.get(pk=world["token_id"]).revoked_at,
        "referral": Referral.objects.get(pk=world["referral_id"]).name,
        "clinician": User.objects.get(pk=world["user_id"]).is_active,
        "notes": ClinicalNote.objects.count(),
        "appointments": Appointment.objects.count(),
        "plans": list(FollowUpPlan.objects.values_list("anchor", flat=True)),
        "decisions": LevelOfCareDecision.objects.count(),
    }


def test_every_object_url_refuses_strangers(
    world: dict[str, Any], otto: Any, bob: Any, ada: Any
) -> None:
    """Otto (another clinician), Bob (another patient), Ada (admin, on clinical objects) and
    an anonymous visitor try every URL naming one of Pat's objects, by GET and POST: they get
    403/404/405 (the login page or 401 when anonymous) and nothing changes or is audited."""
    before = snapshot(world)
    people = {"otto": otto, "bob": bob.user, "ada": ada, "anonymous": None}
    tokens = {who: token_for(user) if user else None for who, user in people.items()}
    wrong = []
    for route, names in object_routes():
        url = url_for(route, world)
        for who, user in people.items():
            if who == "ada" and ADMIN_OBJECTS.intersection(names):
                continue  # the admin is meant to reach these
            client = Client()
            if route.startswith("api/"):
                path = url.removeprefix(BASE)
                responses = [call(client, "GET", path, tokens[who]),
                             *(call(client, method, path, tokens[who], {})
                               for method in ("POST", "PUT"))]
                allowed = {401, 405} if user is None else {403, 404, 405, 422}
            else:
                if user is not None:
                    client.force_login(user)
                responses = [client.get(url), client.post(url, FORM)]
                allowed = {403, 404, 405}
            for response in responses:
                status = response.status_code
                to_login = status == 302 and response["Location"].startswith(reverse("login"))
                if status not in allowed and not (user is None and (to_login or status == 404)):
                    wrong.append(f"{who} {response.request['REQUEST_METHOD']} {url}: {status}")
    assert not wrong, "\n".join(wrong)
    assert snapshot(world) == before
    assert not AuditEntry.objects.filter(actor__in=[u for u in people.values() if u]).exists()


def test_enumeration_covers_the_id_urls() -> None:
    """The test above walks the resolver; make sure it still finds the routes it is for."""
    found = {route for route, _ in object_routes()}
    for route in ("clinic/patients/<int:patient_id>/", "clinic/alerts/<int:alert_id>/",
                  "me/journal/<int:entry_id>/", "me/tapers/<uuid:series>/plan.json",
                  "tokens/<int:token_id>/revoke/", "feeds/<str:token>.ics",
                  "api/v1/alerts/<alert_id>/acknowledge"):
        assert route in found


# --- user text is escaped everywhere -----------------------------------------------------------


def test_hostile_text_is_escaped_on_every_page(
    client: Client, cleo: Any, ada: Any
) -> None:
    from kratom_recovery.web.accounts.actions import create_invite
    from kratom_recovery.web.accounts.tokens import create_token
    from kratom_recovery.web.clinic.actions import write_note
    from kratom_recovery.web.followup import actions as followup
    from kratom_recovery.web.followup.referrals import actions as directory
    from kratom_recovery.web.patients import actions as patients
    from kratom_recovery.web.patients.actions import register_patient
    from kratom_recovery.web.recovery import actions as recovery
    from kratom_recovery.web.recovery.journal import actions as journal_actions
    from kratom_recovery.web.recovery.measures import actions as measure_actions
    from kratom_recovery.web.safety.actions import acknowledge_alert, raise_alert
    from tests.support.personas import profile_data

    cleo.display_name = HOSTILE
    cleo.save(update_fields=["display_name"])
    xena = register_patient("xena", PASSWORD, HOSTILE, create_invite(cleo).code)
    patients.complete_onboarding(xena, xena.user, profile_data(), now=NOW - timedelta(days=1))
    patients.record_checkin(xena, xena.user, {"sows": [2] * 16, "craving": [5]}, note=HOSTILE,
                            now=NOW - timedelta(days=1))
    patients.record_checkin(xena, xena.user, {"sows": [1] * 16, "craving": [3]}, note=HOSTILE,
                            now=NOW)
    journal_actions.add_journal_entry(xena, xena.user, text=HOSTILE, shared=True)
    recovery.save_relapse_plan(xena, xena.user, triggers=[HOSTILE], reasons=[HOSTILE])
    measure = measure_actions.add_measure(xena, xena.user, HOSTILE[:40])
    measure_actions.record_measure_values(xena, xena.user, {measure.pk: 4})
    exercise = recovery.save_exercise(xena, xena.user, "urge-surfing", {
        "craving_before": 5, "craving_after": 3, "seconds_done": 120, "notes": HOSTILE})
    plan = medication(xena, cleo, name=HOSTILE[:40])
    alert = raise_alert(xena, rule="r", severity="warning", patient_message="p",
                        clinician_message="c", source="test")
    acknowledge_alert(alert, cleo, HOSTILE)
    write_note(xena, cleo, {"subjective": HOSTILE})
    followup.add_appointment(xena, cleo, starts_at=NOW + timedelta(days=3), kind="phone",
                             note=HOSTILE)
    directory.save_referral(None, {"name": HOSTILE, "kind": "other", "state": "CA",
                                   "zip": "90001", "city": HOSTILE[:40]}, now=NOW)
    create_token(xena.user, HOSTILE[:40])
    pages: dict[Any, list[Any]] = {
        xena.user: ["patient-home", "recovery-journal", "recovery-measures", "recovery-progress",
                    "recovery-plan", "recovery-exercises", "tapers", "recovery-record-access",
                    "recovery-sharing", "help", "followup", "api-tokens", "my-data",
                    ("recovery-exercise-entry", [exercise.pk]),
                    ("taper-plan", [plan.series])],
        cleo: ["caseload", ("chart", [xena.pk]), ("notes", [xena.pk]),
               ("alert", [alert.pk]), ("level-of-care", [xena.pk]),
               ("clinic-tapers", [xena.pk]), ("clinic-taper", [xena.pk, plan.series])],
        ada: ["program", "assignments", "admin-directory"],
    }
    for user, names in pages.items():
        client.force_login(user)
        for entry in names:
            name, args = entry if isinstance(entry, tuple) else (entry, [])
            response = client.get(reverse(name, args=args))
            assert response.status_code == 200, name
            assert HOSTILE not in response.content.decode(), name
    client.force_login(xena.user)
    response = client.get(reverse("directory"), {"state": "CA"})
    assert response.status_code == 200 and "onload" in response.content.decode()
    assert HOSTILE not in response.content.decode()


# --- "don't share my check-ins" holds beyond the FHIR export -----------------------------------


def stop_sharing_checkins(patient: Any) -> None:
    from kratom_recovery.web.recovery.actions import update_sharing

    update_sharing(patient, patient.user, checkins=False, journal=True, plan=True)


def high_checkins(patient: Any) -> None:
    from kratom_recovery.web.patients.actions import record_checkin

    for hours in (20, 2):
        record_checkin(patient, patient.user, {"sows": [4] * 16, "craving": [9]},
                       now=NOW - timedelta(hours=hours))


def test_api_checkins_refused_to_clinician_when_not_shared(
    client: Client, pat: Any, cleo: Any
) -> None:
    high_checkins(pat)
    cleo_token, pat_token = token_for(cleo), token_for(pat.user)
    path = f"/patients/{pat.pk}/checkins"
    assert call(client, "GET", path, cleo_token).json()["count"] == 2
    stop_sharing_checkins(pat)
    reads = AuditEntry.objects.filter(target="checkins").count()
    refused = call(client, "GET", path, cleo_token)
    assert refused.status_code == 403
    assert "share" in refused.json()["detail"]
    assert AuditEntry.objects.filter(target="checkins").count() == reads  # nothing shown
    assert call(client, "GET", path, pat_token).json()["count"] == 2  # still the patient's


def test_api_timeline_leaves_out_unshared_checkins(client: Client, pat: Any, cleo: Any) -> None:
    high_checkins(pat)
    path = f"/patients/{pat.pk}/timeline"
    cleo_token, pat_token = token_for(cleo), token_for(pat.user)
    shared = call(client, "GET", path, cleo_token).json()
    stop_sharing_checkins(pat)
    hidden = call(client, "GET", path, cleo_token).json()
    own = call(client, "GET", path, pat_token).json()
    assert own == shared  # the patient always gets the forecast updated by their check-ins
    assert hidden != shared
    assert "worse-than-expected" in shared["flags"]
    assert "worse-than-expected" not in hidden["flags"]


def test_chart_timeline_card_has_no_checkin_dots_when_not_shared(
    client: Client, pat: Any, cleo: Any
) -> None:
    high_checkins(pat)
    client.force_login(cleo)
    dots = '<g class="chart-obs"'
    assert dots in client.get(reverse("chart", args=[pat.pk])).content.decode()
    stop_sharing_checkins(pat)
    assert dots not in client.get(reverse("chart", args=[pat.pk])).content.decode()
    client.force_login(pat.user)
    assert dots in client.get(reverse("patient-home")).content.decode()


# --- settings that must not regress -------------------------------------------------------------


def test_security_settings() -> None:
    # The test suite swaps in a fast hasher per test; the settings module keeps Argon2 first.
    from kratom_recovery.web import settings as configured

    assert configured.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert settings.SESSION_COOKIE_HTTPONLY and settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.X_FRAME_OPTIONS == "DENY" and settings.SECURE_CONTENT_TYPE_NOSNIFF
    assert settings.SECURE_REFERRER_POLICY == "same-origin"
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["style-src"] == ["'self'"] and "'unsafe-inline'" not in str(directives)


def test_logout_is_post_only(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    assert client.get(reverse("logout")).status_code == 405
    assert client.get(reverse("patient-home")).status_code == 200
