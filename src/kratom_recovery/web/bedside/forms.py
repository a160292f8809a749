"""Bedside forms. Values are checked by the pure core through the actions (care/vitals.py,
care/labs.py), so a form field only collects text and the error lands on the field the core
names."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kratom_recovery.care import labs, mar
from kratom_recovery.care.bedside import INTERVAL_MAX_MINUTES, INTERVAL_MIN_MINUTES
from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.vitals import LIMIT_NAMES, VITAL_BY_NAME, VITALS
from kratom_recovery.web.bedside.models import LabAnalyte
from kratom_recovery.web.common.forms import add_domain_error
from kratom_recovery.web.patients.forms import InstrumentsForm, LocalDateTimeField

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"},
                                      format="%Y-%m-%dT%H:%M")


def when_field(label: StrOrPromise) -> LocalDateTimeField:
    """Left blank, not prefilled: a page opened now and saved later records the saving time
    (`aware()`), not the time the page was loaded."""
    return LocalDateTimeField(label=label, widget=DATETIME_WIDGET, required=False,
                              input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                              help_text=_("Blank: now."))


def aware(form: forms.Form, name: str) -> datetime:
    """A form's wall-clock time in the zone the request activated (the viewer's); blank is
    now."""
    value: datetime | None = form.cleaned_data.get(name)
    if value is None:
        return timezone.now()
    return value.replace(tzinfo=timezone.get_current_timezone())


def number_input(decimals: int) -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "decimal" if decimals else "numeric",
                                  "autocomplete": "off", "size": "6"})


class VitalsForm(forms.Form):
    taken_at = when_field(_("Taken at"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for vital in VITALS:
            self.fields[vital.name] = forms.CharField(
                label=f"{vital.label} ({vital.unit})", required=False, max_length=12,
                widget=number_input(vital.decimals))

    def values(self) -> dict[str, object]:
        return {v.name: self.cleaned_data.get(v.name) for v in VITALS}


class AssessmentForm(InstrumentsForm):
    """One bedside instrument with the time it was assessed; COWS also takes a typed resting
    pulse, which scores item 1 (so the item may be left untapped)."""

    def __init__(self, instrument_id: str, *args: Any, **kwargs: Any) -> None:
        super().__init__((instrument_id,), *args, **kwargs)
        self.instrument_id = instrument_id
        self.fields["assessed_at"] = when_field(_("Assessed at"))
        if instrument_id == "cows":
            pulse = VITAL_BY_NAME["pulse"]
            self.fields["resting_pulse"] = forms.CharField(
                label=_("Resting pulse (/min), after one minute sitting or lying"),
                required=False, max_length=6, widget=number_input(0),
                help_text=_("Typed, it scores item 1 for you and goes on the vitals "
                            "flowsheet. Accepted: %(low)g–%(high)g.") % {
                                "low": pulse.low, "high": pulse.high})
            self.fields["cows-resting-pulse"].required = False

    def item_answers(self) -> dict[str, object]:
        prefix = f"{self.instrument_id}-"
        return {name[len(prefix):]: value for name, value in self.cleaned_data.items()
                if name.startswith(prefix) and value not in (None, "")}

    def add_error_from(self, error: InvalidInput) -> None:
        """An item id from the core lands on its `<instrument>-<item>` field."""
        item_field = f"{self.instrument_id}-{error.field}"
        if item_field in self.fields:
            self.add_error(item_field, error.message)
        else:
            add_domain_error(self, error)


class OrdersForm(forms.Form):
    interval_minutes = forms.CharField(
        label=_("Minutes between COWS / CIWA-Ar assessments"), required=False, max_length=6,
        widget=number_input(0),
        help_text=_("Blank: no schedule. %(low)d to %(high)d minutes.") % {
            "low": INTERVAL_MIN_MINUTES, "high": INTERVAL_MAX_MINUTES})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, vital_name, direction in LIMIT_NAMES:
            vital = VITAL_BY_NAME[vital_name]
            label = _("Alert when %(vital)s is above (%(unit)s)") if direction == "above" \
                else _("Alert when %(vital)s is below (%(unit)s)")
            self.fields[name] = forms.CharField(
                label=label % {"vital": vital.label.lower(), "unit": vital.unit},
                required=False, max_length=12, widget=number_input(vital.decimals))

    def limits(self) -> dict[str, object]:
        return {name: self.cleaned_data.get(name) for name, _v, _d in LIMIT_NAMES}


RESULT_CHOICES = [("", _("not tested")), *((r, r.capitalize()) for r in labs.QUALITATIVE_RESULTS)]


class LabsForm(forms.Form):
    """One field per active analyte, grouped by panel; blank means not tested."""

    collected_at = when_field(_("Sample taken at"))

    def __init__(self, analytes: list[LabAnalyte], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.analytes = analytes
        for analyte in analytes:
            label = analyte.name + (f" ({analyte.unit})" if analyte.unit else "")
            if analyte.kind == "qualitative":
                field: forms.Field = forms.ChoiceField(label=label, choices=RESULT_CHOICES,
                                                       required=False)
            else:
                field = forms.CharField(label=label, required=False, max_length=12,
                                        widget=number_input(2))
            field.help_text = analyte.note
            self.fields[analyte.code] = field

    def panels(self) -> list[tuple[str, list[tuple[LabAnalyte, forms.BoundField]]]]:
        grouped: dict[str, list[tuple[LabAnalyte, forms.BoundField]]] = {}
        for analyte in self.analytes:
            grouped.setdefault(analyte.panel, []).append((analyte, self[analyte.code]))
        return [(labs.PANELS.get(panel, panel), rows) for panel, rows in grouped.items()]

    def results(self) -> dict[str, object]:
        return {a.code: self.cleaned_data.get(a.code) for a in self.analytes}


class AnalyteForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    loinc = forms.CharField(label=_("Code (LOINC or the laboratory's)"), max_length=16,
                            required=False)
    low = forms.CharField(label=_("Program range: low"), max_length=12, required=False)
    high = forms.CharField(label=_("Program range: high"), max_length=12, required=False)
    active = forms.BooleanField(label=_("Recorded by this program"), required=False)


class NewAnalyteForm(forms.Form):
    code = forms.CharField(label=_("Short code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=80)
    panel = forms.ChoiceField(label=_("Panel"), choices=list(labs.PANELS.items()))
    kind = forms.ChoiceField(label=_("Result"), choices=[
        ("qualitative", _("negative / positive")), ("quantitative", _("a number"))])
    unit = forms.CharField(label=_("Unit (UCUM)"), max_length=16, required=False)
    loinc = forms.CharField(label=_("Code (LOINC or the laboratory's)"), max_length=16,
                            required=False)


# --- comfort-medication orders and the administration record --------------------------------

HOLD_ROWS = 3
BLANK: list[tuple[str, str]] = [("", "—")]


class MedicationOrderForm(forms.Form):
    """Every field is the clinician's own entry; none has an initial value (care/mar.py)."""

    medicine = forms.CharField(
        label=_("Medicine"), max_length=80,
        widget=forms.TextInput(attrs={"list": "medicine-names", "autocomplete": "off"}),
        help_text=_("Type and pick from the list; the recognised generic name is stored."))
    dose = forms.CharField(label=_("Dose"), max_length=12, widget=number_input(3))
    unit = forms.ChoiceField(label=_("Unit"), choices=BLANK + [(u, u) for u in mar.UNITS])
    route = forms.ChoiceField(label=_("Route"), choices=BLANK + list(mar.ROUTES.items()))
    kind = forms.ChoiceField(label=_("Given"), widget=forms.RadioSelect, choices=[
        ("scheduled", _("on a schedule")), ("prn", _("as needed"))])
    times = forms.CharField(label=_("Scheduled times (HH:MM, e.g. 08:00 20:00)"),
                            max_length=60, required=False)
    interval_minutes = forms.CharField(
        label=_("Interval (minutes)"), max_length=6, required=False, widget=number_input(0),
        help_text=_("Scheduled: every so many minutes (instead of times). As needed: the "
                    "shortest time between doses (blank: none)."))
    indication = forms.CharField(label=_("As needed for (indication)"), max_length=200,
                                 required=False)
    cows_at_least = forms.CharField(label=_("Only when COWS is at least"), max_length=3,
                                    required=False, widget=number_input(0),
                                    help_text=_("As needed only; blank: no COWS condition."))
    max_per_24h = forms.CharField(label=_("Maximum per 24 hours (in the unit above)"),
                                  max_length=12, widget=number_input(3))
    window_minutes = forms.CharField(
        label=_("Readings count as current for (minutes)"), max_length=5,
        widget=number_input(0),
        help_text=_("Hold parameters and the COWS condition are checked against vitals and "
                    "COWS taken this long before the dose; COWS before and after a dose are "
                    "looked for within it. %(low)d to %(high)d.") % {
                        "low": mar.WINDOW_MIN_MINUTES, "high": mar.WINDOW_MAX_MINUTES})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        vitals = BLANK + [(v, VITAL_BY_NAME[v].label) for v in mar.HOLD_VITALS]
        for i in range(HOLD_ROWS):
            self.fields[f"hold_{i}_vital"] = forms.ChoiceField(
                label=_("Hold if"), choices=vitals, required=False)
            self.fields[f"hold_{i}_comparator"] = forms.ChoiceField(
                label=_("is"), choices=BLANK + [(c, c) for c in mar.COMPARATORS],
                required=False)
            self.fields[f"hold_{i}_value"] = forms.CharField(
                label=_("value"), max_length=8, required=False, widget=number_input(1))

    def hold_rows(self) -> list[dict[str, object]]:
        return [{k: self.cleaned_data.get(f"hold_{i}_{k}")
                 for k in ("vital", "comparator", "value")} for i in range(HOLD_ROWS)]

    def hold_fields(self) -> list[list[forms.BoundField]]:
        return [[self[f"hold_{i}_{k}"] for k in ("vital", "comparator", "value")]
                for i in range(HOLD_ROWS)]

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith("hold_")]

    def add_error_from(self, error: InvalidInput) -> None:
        """A hold-row error lands on the row's value field."""
        if error.field.startswith("hold_") and f"{error.field}_value" in self.fields:
            self.add_error(f"{error.field}_value", error.message)
        else:
            add_domain_error(self, error)


class DoseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Dose"), widget=forms.RadioSelect,
                                choices=list(mar.OUTCOMES.items()))
    at = when_field(_("At"))
    reason = forms.CharField(label=_("Reason or note (required when held)"), max_length=200,
                             required=False)


class InductionForm(forms.Form):
    last_leaf = when_field(_("Last use of leaf or powder"))
    last_extract = when_field(_("Last use of an extract"))
    last_7oh = when_field(_("Last use of a 7-OH product"))
    reassess_minutes = forms.CharField(
        label=_("Reassess this many minutes after each dose"), max_length=6, required=False,
        widget=number_input(0), help_text=_("Your entry; blank: no timer."))
    low_dose = forms.BooleanField(label=_("Low-dose (micro-)induction"), required=False)
    schedule = forms.CharField(
        label=_("Low-dose schedule (your entry: days, times and doses)"), required=False,
        max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("last_leaf", "last_extract", "last_7oh"):
            self.fields[name].help_text = _("Blank: not used or not known.")


class ThresholdForm(forms.Form):
    cows_threshold = forms.CharField(label=_("COWS at or above which the first dose may be "
                                             "given"), max_length=3, widget=number_input(0))
