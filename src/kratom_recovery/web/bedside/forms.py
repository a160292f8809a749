"""Bedside forms. Values are checked by the pure core through the actions (care/vitals.py,
care/labs.py), so a form field only collects text and the error lands on the field the core
names."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kratom_recovery.care import labs
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


def now_initial() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


def number_input(decimals: int) -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "decimal" if decimals else "numeric",
                                  "autocomplete": "off", "size": "6"})


class VitalsForm(forms.Form):
    taken_at = when_field(_("Taken at"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["taken_at"].initial = now_initial()
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
        self.fields["assessed_at"].initial = now_initial()
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
        self.fields["collected_at"].initial = now_initial()
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
