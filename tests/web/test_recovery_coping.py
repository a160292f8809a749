"""Coping after check-in, skills exercises and psychoeducation pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kratom_recovery.care import exercises as care_exercises
from kratom_recovery.care.instruments import get_instrument
from kratom_recovery.web.patients import actions as patient_actions
from kratom_recovery.web.recovery import learn, queries
from kratom_recovery.web.recovery.models import CopingFeedback, ExerciseEntry
from tests.support.personas import NOW

pytestmark = pytest.mark.django_db

SOWS = [item.id for item in get_instrument("sows").items]


def answers(worst: dict[str, int] | None = None, craving: int = 0) -> dict[str, list[object]]:
    """A check-in with every symptom at 0 except `worst` (SOWS and daily-extra ids)."""
    worst = worst or {}
    extra = [item.id for item in get_instrument("daily-extra").items if item.id != "pulse"]
    return {
        "sows": [worst.get(item, 0) for item in SOWS],
        "daily-extra": [*(worst.get(item, 0) for item in extra), None],
        "craving": [craving],
    }


def checkin(patient: Any, worst: dict[str, int] | None = None, craving: int = 0,
            now: Any = NOW) -> None:
    patient_actions.record_checkin(patient, patient.user, answers(worst, craving), mood=3,
                                   now=now)


def suggested(client: Client) -> list[str]:
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("recovery-coping"))
    assert response.status_code == 200
    return [s.entry.id for s in response.context["coping"].suggestions]


def test_checkin_page_now_lands_on_coping(client: Client, pat: Any) -> None:
    from tests.web.test_patient_flows import checkin_post

    client.force_login(pat.user)
    with time_machine.travel(NOW, tick=False):
        response = client.post(reverse("checkin"), checkin_post())
    assert response.status_code == 302
    assert response["Location"] == reverse("recovery-coping") + "?saved=1"


@pytest.mark.parametrize(
    ("worst", "craving", "expected"),
    [
        ({"nauseous": 4, "vomit-urge": 3}, 0, "small-meals"),
        ({"runny-nose": 3, "tearing": 3, "yawning": 3}, 0, "comfort-care"),
        ({}, 10, "urge-surfing"),
        ({"aches": 3, "cold-flashes": 3}, 0, "warm-bath"),
    ],
)
def test_suggestions_follow_todays_symptoms(
    client: Client, pat: Any, worst: dict[str, int], craving: int, expected: str
) -> None:
    checkin(pat, worst, craving)
    client.force_login(pat.user)
    ids = suggested(client)
    assert expected in ids and 2 <= len(ids) <= 3


def test_suggestions_change_when_symptoms_change(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    checkin(pat, {"nauseous": 4, "vomit-urge": 4})
    sick = suggested(client)
    checkin(pat, {}, craving=9)  # same day: replaces the check-in
    craving = suggested(client)
    assert sick != craving
    assert "urge-surfing" in craving and "urge-surfing" not in sick


def test_without_checkin_the_page_says_so(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("recovery-coping"))
    assert response.context["coping"].checked_in is False
    assert "have not checked in today" in response.content.decode()


def test_feedback_moves_ranking(client: Client, pat: Any) -> None:
    checkin(pat, {"anxious": 3, "restless": 3})
    client.force_login(pat.user)
    before = suggested(client)
    top = before[0]
    for _ in range(4):
        response = client.post(reverse("recovery-coping-feedback"),
                               {"entry_id": top, "helped": "no"})
        assert response.status_code == 302
    after = suggested(client)
    assert after[0] != top
    assert CopingFeedback.objects.filter(patient=pat, entry_id=top, helped=False).count() == 4
    # And "it helped" brings an entry back up, with the count in its reason.
    for _ in range(6):
        client.post(reverse("recovery-coping-feedback"), {"entry_id": top, "helped": "yes"})
    with time_machine.travel(NOW, tick=False):
        view = client.get(reverse("recovery-coping")).context["coping"]
    assert view.suggestions[0].entry.id == top
    assert "helped you 6 of 10 times" in view.suggestions[0].reason


@pytest.mark.parametrize("post", [{"entry_id": "no-such-entry", "helped": "yes"},
                                  {"entry_id": "hydration", "helped": "maybe"}, {}])
def test_bad_feedback_writes_nothing(client: Client, pat: Any, post: dict[str, str]) -> None:
    client.force_login(pat.user)
    response = client.post(reverse("recovery-coping-feedback"), post)
    assert response.status_code == 302
    assert CopingFeedback.objects.count() == 0


def test_coping_fallback_phase_is_labelled() -> None:
    phase = queries.fallback_phase(NOW - timedelta(hours=30), NOW)
    assert (phase.id, phase.estimated_by_fallback) == ("peak", True)
    assert queries.fallback_phase(NOW - timedelta(days=20), NOW).id == "post-acute"
    assert queries.fallback_phase(NOW - timedelta(hours=2), NOW).id == "pre-onset"


def test_home_shows_coping_progress_and_tools(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("patient-home")).content.decode()
    assert reverse("recovery-coping") in page
    assert reverse("recovery-progress") in page
    assert reverse("recovery-record-access") in page


# --- exercises --------------------------------------------------------------------------------


@pytest.mark.parametrize("exercise", [e.id for e in care_exercises.EXERCISES])
def test_every_exercise_page_renders_its_fields_and_steps(
    client: Client, pat: Any, exercise: str
) -> None:
    client.force_login(pat.user)
    page = client.get(reverse("recovery-exercise", args=[exercise])).content.decode()
    definition = care_exercises.EXERCISES_BY_ID[exercise]
    for step in definition.steps:
        assert step in page
    for field in definition.fields:
        assert (f'name="{field.id}"' in page) or (f'name="{field.id}_1_text"' in page)


def test_urge_surfing_saves_and_is_listed(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    response = client.post(reverse("recovery-exercise", args=["urge-surfing"]), {
        "craving_before": "8", "craving_after": "4", "seconds_done": "600",
        "where_felt": " chest ", "notes": "",
    })
    assert response.status_code == 302
    entry = ExerciseEntry.objects.get(patient=pat)
    assert entry.data == {"craving_before": 8, "craving_after": 4, "seconds_done": 600,
                          "where_felt": "chest", "notes": None}
    listing = client.get(reverse("recovery-exercises")).content.decode()
    assert reverse("recovery-exercise-entry", args=[entry.pk]) in listing
    detail = client.get(reverse("recovery-exercise-entry", args=[entry.pk]))
    assert detail.status_code == 200 and "chest" in detail.content.decode()


def test_problem_solving_options_round_trip(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    response = client.post(reverse("recovery-exercise", args=["problem-solving"]), {
        "problem": "Rent is late", "options_1_text": "Call landlord", "options_1_pros": "honest",
        "options_2_text": "Borrow", "options_2_cons": "debt", "choice": "call LANDLORD",
        "first_step": "Phone at 9",
    })
    assert response.status_code == 302, response.context["form"].errors
    data = ExerciseEntry.objects.get().data
    assert [o["text"] for o in data["options"]] == ["Call landlord", "Borrow"]


@pytest.mark.parametrize(
    ("exercise", "post", "field"),
    [
        ("urge-surfing", {"craving_before": "11", "craving_after": "2", "seconds_done": "60"},
         "craving_before"),
        ("urge-surfing", {"craving_after": "2", "seconds_done": "60"}, "craving_before"),
        ("problem-solving", {"problem": "x", "options_1_text": "a", "choice": "b",
                             "first_step": "c"}, "choice"),
        ("problem-solving", {"problem": "x", "choice": "b", "first_step": "c"},
         "options_1_text"),
        ("paced-breathing", {"inhale_seconds": "1", "hold_seconds": "4", "exhale_seconds": "6",
                             "cycles": "10"}, "inhale_seconds"),
        ("thought-record", {"situation": "s"}, "automatic_thought"),
    ],
)
def test_bad_exercise_input_names_the_field_and_writes_nothing(
    client: Client, pat: Any, exercise: str, post: dict[str, str], field: str
) -> None:
    client.force_login(pat.user)
    response = client.post(reverse("recovery-exercise", args=[exercise]), post)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert ExerciseEntry.objects.count() == 0


def test_exercise_entry_of_someone_else_is_404(client: Client, pat: Any, bob: Any) -> None:
    from kratom_recovery.web.recovery import actions

    entry = actions.save_exercise(bob, bob.user, "paced-breathing", {
        "inhale_seconds": 4, "hold_seconds": 4, "exhale_seconds": 6, "cycles": 3})
    client.force_login(pat.user)
    assert client.get(reverse("recovery-exercise-entry", args=[entry.pk])).status_code == 404
    assert client.get(reverse("recovery-exercise", args=["no-such"])).status_code == 404


def test_exercise_list_query_count_is_bounded(
    client: Client, pat: Any, django_assert_max_num_queries: Any
) -> None:
    from kratom_recovery.web.recovery import actions

    for n in range(25):
        actions.save_exercise(pat, pat.user, "paced-breathing", {
            "inhale_seconds": 4, "hold_seconds": 4, "exhale_seconds": 6, "cycles": n % 30 + 1})
    client.force_login(pat.user)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("recovery-exercises"))
    assert len(response.context["entries"]) == 20


# --- psychoeducation --------------------------------------------------------------------------


@pytest.mark.parametrize("page", learn.PAGES, ids=lambda p: p.slug)
def test_every_learn_page_has_sources_and_review_date(client: Client, page: Any) -> None:
    assert page.sections and page.sources
    assert all(section.paragraphs for section in page.sections)
    assert page.reviewed.isoformat() == "2026-11-27"
    assert all("[ref:" in source or "general" in source for source in page.sources)
    html = client.get(reverse("recovery-learn-page", args=[page.slug])).content.decode()
    assert "Last reviewed 27 November 2026" in html
    assert "Sources" in html
    assert reverse("recovery-learn-page", args=[page.slug]) in client.get(
        reverse("recovery-learn")).content.decode()


def test_learn_pages_state_the_required_caveats(client: Client) -> None:
    timeline = client.get(reverse("recovery-learn-page", args=["withdrawal-timeline"]))
    assert "not evidence-based" in timeline.content.decode()
    treatment = client.get(reverse("recovery-learn-page", args=["treatment"])).content.decode()
    assert "case reports only" in treatment and "Weiss &amp; Douglas 2021" in treatment
    assert "[ref:" not in treatment  # citations show as labels
    legal = client.get(reverse("recovery-learn-page", args=["legal-status"])).content.decode()
    assert "have not verified" in legal and "https://www.fda.gov/" in legal
    assert client.get(reverse("recovery-learn-page", args=["nope"])).status_code == 404
