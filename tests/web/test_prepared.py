"""Queries compiled once (common/prepared.py) give what Django's own run of them gives, and
the hot reads built on them (the current-state lock, the visible patient, the session and
its user, the alert history) behave as before."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.db.models import QuerySet
from django.forms import ChoiceField
from django.http import Http404
from django.test import Client
from django.utils import timezone

from kratom_recovery.web.common.prepared import Prepared
from kratom_recovery.web.patients import access, actions
from kratom_recovery.web.patients import state as current_state
from kratom_recovery.web.patients.forms import InstrumentsForm
from kratom_recovery.web.patients.models import CheckIn, CurrentState, Patient
from kratom_recovery.web.safety.models import Alert
from tests.support.personas import NOW, PASSWORD

pytestmark = pytest.mark.django_db

FIELDS = [field.attname for field in CurrentState._meta.concrete_fields]


def checked_in(patient: Patient) -> Patient:
    actions.record_checkin(patient, patient.user, {"sows": [2] * 16, "craving": [4]}, now=NOW)
    return patient


def test_model_rows_match_the_orm_with_joins_and_annotations(pat: Patient) -> None:
    checked_in(pat)
    with transaction.atomic():
        prepared = current_state.lock(pat)
        orm = current_state._with_reads().get(patient=pat)
    assert [getattr(prepared, name) for name in FIELDS] == [getattr(orm, name)
                                                           for name in FIELDS]
    assert prepared.valid and prepared.last_checkin is not None
    assert orm.last_checkin is not None
    assert prepared.last_checkin.__dict__.keys() == orm.last_checkin.__dict__.keys()
    assert prepared.last_checkin.local_date == orm.last_checkin.local_date
    assert prepared.patient.profile.amount_per_day == orm.patient.profile.amount_per_day
    for name in current_state.LOCK_READS:
        assert getattr(prepared, name) == getattr(orm, name)
    assert prepared._state.db == "default" and not prepared._state.adding


def test_values_lists_flat_and_not() -> None:
    pairs = Prepared(lambda pk: CheckIn.objects.filter(patient_id=pk)
                     .order_by("local_date").values_list("local_date", "mood"))
    flat = Prepared(lambda pk: CheckIn.objects.filter(patient_id=pk)
                    .order_by("local_date").values_list("mood", flat=True))
    assert pairs.all(1) == [] and flat.first(1) is None


def test_values_list_rows_match_the_orm(pat: Patient) -> None:
    checked_in(pat)
    query = Prepared(lambda pk: CheckIn.objects.filter(patient_id=pk)
                     .values_list("local_date", "danger_symptoms"))
    assert query.all(pat.pk) == list(CheckIn.objects.filter(patient=pat)
                                      .values_list("local_date", "danger_symptoms"))


def test_compiled_once_per_connection_and_keys_change(pat: Patient, bob: Patient) -> None:
    built: list[int] = []

    def query(pk: int) -> QuerySet[Patient]:
        built.append(pk)
        return Patient.objects.filter(pk=pk)

    one = Prepared(query)
    assert one.first(pat.pk) == pat
    assert one.first(bob.pk) == bob
    assert one.first(10**6) is None
    assert len(built) == 1 and built[0] < 0  # once, with the marker


def test_string_keys(cleo: Any) -> None:
    by_name = Prepared(lambda name: type(cleo).objects.filter(username=name), keys=(str,))
    assert by_name.first(cleo.username) == cleo
    assert by_name.first("nobody-here") is None


def test_keys_out_of_sql_range_find_nothing(pat: Patient) -> None:
    one = Prepared(lambda pk: Patient.objects.filter(pk=pk))
    assert one.all(2**63) == [] and one.all(-(2**63) - 1) == []


@pytest.mark.parametrize("keys", [("1",), (True,), (1, 2), ()])
def test_wrong_keys_are_refused(keys: tuple[Any, ...]) -> None:
    one = Prepared(lambda pk: Patient.objects.filter(pk=pk))
    with pytest.raises(TypeError, match="expected keys"):
        one.all(*keys)


def test_a_key_the_query_drops_is_refused() -> None:
    ignored = Prepared(lambda pk: Patient.objects.all())
    with pytest.raises(ValueError, match="every key"):
        ignored.all(1)


def test_values_list_with_annotations_is_refused() -> None:
    from django.db.models import Value

    annotated = Prepared(lambda pk: Patient.objects.filter(pk=pk).annotate(one=Value(1))
                         .values_list("pk", "one"))
    with pytest.raises(ValueError, match="annotations"):
        annotated.all(1)


@pytest.mark.django_db(transaction=True)  # the test's own transaction would hide it
def test_a_locking_read_outside_a_transaction_is_refused(pat: Patient) -> None:
    locked = Prepared(lambda pk: CurrentState.objects.select_for_update().filter(patient_id=pk))
    with transaction.atomic():
        locked.all(pat.pk)  # compiled inside one
    if not connection.features.has_select_for_update:
        return  # SQLite locks the whole database at BEGIN IMMEDIATE instead
    from django.db.transaction import TransactionManagementError

    with pytest.raises(TransactionManagementError):
        locked.all(pat.pk)


def test_visible_patient_by_role(pat: Patient, bob: Patient, cleo: Any, otto: Any) -> None:
    assert access.get_patient_for(pat.user, pat.pk) == pat
    assert access.get_patient_for(cleo, pat.pk) == pat
    for user, pk in ((pat.user, bob.pk), (otto, pat.pk), (pat.user, 10**30), (cleo, "x")):
        with pytest.raises(Http404):
            access.get_patient_for(user, pk)


def test_alert_history_reads_match_the_orm(pat: Patient) -> None:
    """The check-in's alert read (open alerts, and every alert of the flagged rules) as
    compiled for each number of rules gives the ORM's rows."""
    from kratom_recovery.web.safety import engine

    for n in range(4):
        for acknowledged in (NOW, None):
            Alert.objects.create(patient=pat, rule=f"rule-{n}", severity="warning",
                                 severity_rank=2, patient_message="", clinician_message="",
                                 source="test", acknowledged_at=acknowledged,
                                 created_at=NOW - timedelta(hours=n))
    Alert.objects.filter(rule="rule-3", acknowledged_at=None).update(acknowledged_at=NOW)
    for count, prepared in enumerate(engine._OPEN_OR_OF_RULES):
        rules = [f"rule-{n}" for n in range(1, count + 1)]
        rows = prepared.all(pat.pk, *rules)
        assert rows == list(engine._open_or_of_rules(pat.pk, *rules))
        assert {row[0] for row in rows if row[2] is not None} == set(rules)


def test_expired_session_is_signed_out(pat: Patient) -> None:
    client = Client()
    assert client.login(username=pat.user.username, password=PASSWORD)
    assert client.get("/me/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get("/me/").status_code == 302


def test_each_form_has_its_own_scale_fields() -> None:
    one, two = InstrumentsForm(("sows",)), InstrumentsForm(("sows",))
    name = next(iter(one.fields))
    one.fields[name].widget.attrs["data-x"] = "1"
    one.fields[name].error_messages["required"] = "changed"
    assert "data-x" not in two.fields[name].widget.attrs
    assert two.fields[name].error_messages["required"] != "changed"
    first, second = one.fields[name], two.fields[name]
    assert isinstance(first, ChoiceField) and isinstance(second, ChoiceField)
    assert first.choices == second.choices
    assert InstrumentsForm(("sows",), {name: "9"}).errors[name]  # not a choice
