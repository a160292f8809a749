"""Forms. Instrument forms are generated from the definitions in care.instruments, so a
changed definition changes the web form and the CLI alike."""

from __future__ import annotations

import copy
from functools import cache
from typing import Any, Final
from zoneinfo import available_timezones

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from kratom_recovery.care import profile as care_profile
from kratom_recovery.care.instruments import get_instrument
from kratom_recovery.care.instruments.base import Instrument, Item
from kratom_recovery.care.medicines import NAMES as MEDICINE_NAMES
from kratom_recovery.care.safety import DANGER_SYMPTOMS
from kratom_recovery.web.patients.inputs import (
    SELF_HARM,
    SLEEP_RANGE,
    TEMPERATURE_RANGE,
    red_flags,
)

PRODUCT_LABELS = {
    "leaf": _("Leaf powder or tea"),
    "capsules": _("Capsules (leaf powder)"),
    "extract": _("Extract or concentrate"),
    "7-oh": _("7-OH product (tablets, gummies, shots)"),
    "other": _("Other"),
}
UNIT_LABELS = {"g": _("grams"), "mg": _("milligrams"), "tablets": _("tablets")}
SUBSTANCE_LABELS = {
    "alcohol": _("Alcohol"),
    "benzodiazepines": _("Benzodiazepines (e.g. Xanax, Valium, Klonopin)"),
    "opioids": _("Opioids (pain pills, heroin, fentanyl, methadone, buprenorphine)"),
    "gabapentinoids": _("Gabapentin or pregabalin"),
    "other-sedatives": _("Other sleeping pills or sedatives"),
    "stimulants": _("Stimulants (e.g. amphetamine, cocaine, modafinil)"),
    "cannabis": _("Cannabis"),
    "nicotine": _("Nicotine"),
}
CONDITION_LABELS = {
    "chronic-pain": _("Chronic pain"),
    "depression": _("Depression"),
    "anxiety": _("Anxiety"),
    "bipolar": _("Bipolar disorder"),
    "ptsd": _("PTSD"),
    "psychosis": _("Psychosis"),
    "seizures": _("Seizures or epilepsy"),
    "heart-disease": _("Heart disease"),
    "liver-disease": _("Liver disease"),
    "pregnancy": _("Pregnant or could be pregnant"),
    "opioid-use-disorder-history": _("Past problems with opioids"),
    "other-sud-history": _("Past problems with alcohol or other drugs"),
}
SUPPORT_LABELS = {
    "none": _("No one I can count on"),
    "some": _("Some support"),
    "strong": _("Strong support"),
}
GOAL_LABELS = {"taper": _("Taper down gradually"), "stop": _("Stop now")}
SEX_LABELS = {"female": _("Female"), "male": _("Male")}
DEPENDENCE_LABELS = {sign: _(text) for sign, text in care_profile.DEPENDENCE_QUESTIONS}
# Names offered while typing a medicine: generics and brands from the medicine table (street
# names still match when typed, but are not suggested).
MEDICINE_SUGGESTIONS = tuple(sorted({n.name for n in MEDICINE_NAMES if n.kind != "street"}))
MEDICINE_LIST_ID = "medicine-names"
EMPTY_MEDICINE_SLOTS = 3
MOOD_CHOICES = [
    ("1", _("Very low")),
    ("2", _("Low")),
    ("3", _("Okay")),
    ("4", _("Good")),
    ("5", _("Very good")),
]
COMMON_ZONES = [
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Puerto_Rico",
    "Europe/London",
    "Europe/Berlin",
    "Asia/Kuala_Lumpur",
    "Asia/Bangkok",
    "Australia/Sydney",
    "UTC",
]


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock date-time without a zone; the view attaches the person's own zone."""

    def to_python(self, value: Any) -> Any:
        result = super().to_python(value)
        return None if result is None else result.replace(tzinfo=None)


class MedicineListWidget(forms.Widget):
    """One text box per medicine, each suggesting names from the medicine table (an HTML
    datalist) while still taking any text: a name we do not know is kept for the clinician to
    review. Shows the stored medicines plus a few empty boxes; works without JavaScript."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name)

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None,
               renderer: Any = None) -> Any:
        values = [str(v) for v in (value or []) if str(v).strip()]
        slots = values + [""] * max(EMPTY_MEDICINE_SLOTS, 5 - len(values))
        base_id = (attrs or {}).get("id", f"id_{name}")
        # The first box has the field's <label>; the others are named by their number.
        boxes = format_html_join(
            "", '<input type="text" name="{}" id="{}" value="{}" list="{}" maxlength="{}" '
            'autocomplete="off" class="medicine" aria-label="{}">',
            ((name, base_id if i == 0 else f"{base_id}_{i}", v, MEDICINE_LIST_ID,
              care_profile.MAX_TEXT, "" if i == 0 else _("Medicine %(n)d") % {"n": i + 1})
             for i, v in enumerate(slots)),
        )
        options = format_html_join("", '<option value="{}">', ((n,) for n in
                                                              MEDICINE_SUGGESTIONS))
        return format_html('<div class="medicine-list">{}</div><datalist id="{}">{}</datalist>',
                           boxes, MEDICINE_LIST_ID, options)


class MedicineListField(forms.Field):
    """The typed medicine names, stripped, blanks dropped; the core checks each name."""

    widget = MedicineListWidget

    def to_python(self, value: Any) -> list[str]:
        if value in (None, ""):
            return []
        items = [value] if isinstance(value, str) else list(value)
        # A pasted list (one per line) is split, as the one-box form of old sent it.
        names = [line.strip() for item in items for line in str(item).splitlines()
                 if line.strip()]
        if len(names) > care_profile.MAX_MEDICATIONS:
            raise forms.ValidationError(_("At most %(n)d medicines."),
                                        params={"n": care_profile.MAX_MEDICATIONS})
        for item in names:
            if len(item) > care_profile.MAX_TEXT:
                raise forms.ValidationError(_("Each name at most %(n)d characters."),
                                            params={"n": care_profile.MAX_TEXT})
        return names


def labelled(values: tuple[str, ...], labels: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(value, labels[value]) for value in values]


def zone_choices() -> list[tuple[str, object]]:
    """An empty first choice, then the common zones, then the rest: nobody is put in UTC
    (or any zone) by default; the page fills in the device's zone for them to confirm."""
    others = sorted(available_timezones() - set(COMMON_ZONES))
    return [("", _("Choose your time zone")),
            *((z, z.replace("_", " ")) for z in COMMON_ZONES + others)]


def zone_field() -> forms.ChoiceField:
    """The patient's zone, required. js/timezone.js fills an empty choice from the browser
    (Intl's resolvedOptions().timeZone) and says so, or offers the device's zone when it
    differs from the one chosen; without JavaScript it is simply a required choice."""
    return forms.ChoiceField(
        label=_("Your time zone"), choices=zone_choices,
        help_text=_("Your day, reminders and check-in dates follow this clock."),
        widget=forms.Select(attrs={
            "data-browser-zone": "",
            "data-filled-text": _("Filled in from this device: {zone}. Change it if it is "
                                  "wrong."),
            "data-differs-text": _("This device is set to {zone}."),
            "data-use-text": _("Use {zone}"),
        }),
    )


class SignupForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    display_name = forms.CharField(
        label=_("What should we call you?"), max_length=80, required=False,
        help_text=_("A first name or nickname is enough."),
    )
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput,
                               help_text=_("At least 10 characters."), max_length=200)
    # Checked (accounts.actions.check_signup_age) and not stored.
    age = forms.IntegerField(label=_("Your age"), help_text=_("In years. You must be 13 or "
                                                              "older."),
                             widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    invite_code = forms.CharField(
        label=_("Invite code from your clinician (optional)"), max_length=16, required=False
    )
    timezone = zone_field()


class OnboardingForm(forms.Form):
    """Field-level checks only; the clinical core validates the combination (parse_profile)."""

    product = forms.ChoiceField(
        label=_("What kind of kratom do you mostly use?"),
        choices=labelled(care_profile.PRODUCTS, PRODUCT_LABELS),
        widget=forms.RadioSelect,
    )
    amount_per_day = forms.DecimalField(
        label=_("How much per day, in total?"), min_value=0, max_digits=8, decimal_places=2,
        help_text=_("Grams for leaf and capsules; milligrams or tablets for concentrates."),
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=labelled(care_profile.UNITS, UNIT_LABELS))
    doses_per_day = forms.IntegerField(
        label=_("How many times a day do you take it?"), min_value=1,
        max_value=care_profile.MAX_DOSES_PER_DAY,
    )
    years_of_use = forms.DecimalField(
        label=_("For how many years have you used it regularly?"), min_value=0,
        max_value=care_profile.MAX_YEARS_OF_USE, max_digits=4, decimal_places=1,
    )
    last_dose = LocalDateTimeField(
        label=_("When was your last dose?"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Your local time."),
    )
    timezone = zone_field()
    other_substances = forms.MultipleChoiceField(
        label=_("Do you also use any of these?"), required=False,
        choices=labelled(care_profile.OTHER_SUBSTANCES, SUBSTANCE_LABELS),
        widget=forms.CheckboxSelectMultiple,
    )
    medications = MedicineListField(
        label=_("Medicines you take (one per box)"), required=False,
        help_text=_("Start typing to pick from the list, or write the name as you know it. "
                    "A name we do not recognise is kept and your clinician checks it."),
    )
    conditions = forms.MultipleChoiceField(
        label=_("Does any of this apply to you?"), required=False,
        choices=labelled(care_profile.CONDITIONS, CONDITION_LABELS),
        widget=forms.CheckboxSelectMultiple,
    )
    age = forms.IntegerField(label=_("Age (optional)"), required=False, min_value=12,
                             max_value=120)
    support = forms.ChoiceField(
        label=_("Support at home"), choices=labelled(care_profile.SUPPORT_LEVELS, SUPPORT_LABELS),
        widget=forms.RadioSelect,
    )
    previous_attempts = forms.IntegerField(
        label=_("How many times have you tried to stop before?"), min_value=0,
        max_value=care_profile.MAX_PREVIOUS_ATTEMPTS, initial=0,
    )
    goal = forms.ChoiceField(
        label=_("Your goal"), choices=labelled(care_profile.GOALS, GOAL_LABELS),
        widget=forms.RadioSelect,
    )
    dependence = forms.MultipleChoiceField(
        label=_("Alcohol and benzodiazepines: tick each that is true for you"), required=False,
        choices=labelled(care_profile.DEPENDENCE_SIGNS, DEPENDENCE_LABELS),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Stopping these suddenly can be dangerous, so we ask separately."),
    )
    sex = forms.ChoiceField(
        label=_("Sex (optional)"), required=False,
        choices=[("", _("Prefer not to say")), *labelled(care_profile.SEXES, SEX_LABELS)],
        widget=forms.RadioSelect,
        help_text=_("Only used to read the alcohol questionnaire (its cut-off differs)."),
    )

    def profile_data(self) -> dict[str, Any]:
        """Cleaned data in the JSON shape parse_profile() reads (docs/profile.md)."""
        data = dict(self.cleaned_data)
        data["amount_per_day"] = str(data["amount_per_day"])
        data["years_of_use"] = str(data["years_of_use"])
        data["medications"] = list(data.get("medications") or [])
        data["sex"] = data.get("sex") or None
        return data


class ScaleField(forms.TypedChoiceField):
    """One item of a fixed scale. Django copies every field for every form; the check-in
    has 23 of these, and their generic deep copy (choices included) took longer than the
    rest of the form's work. The copy here is what that copy gives a form to change (its
    own field, widget, attrs, messages and validators) and shares the choices, which never
    change."""

    def __deepcopy__(self, memo: dict[int, Any]) -> ScaleField:
        field = object.__new__(ScaleField)
        field.__dict__.update(self.__dict__)
        widget = object.__new__(type(self.widget))
        widget.__dict__.update(self.widget.__dict__)
        widget.attrs = dict(self.widget.attrs)
        field.widget = widget
        field.error_messages = dict(self.error_messages)
        field.validators = list(self.validators)
        memo[id(self)] = field
        return field


def item_field(item: Item) -> forms.Field:
    if item.kind == "choice":
        return ScaleField(
            label=_(item.text),  # the core's English, translated here (common/core_text.py)
            choices=[(str(o.value), _(o.label)) for o in item.options],
            coerce=int,
            # The check-in draws these as a row of numbers (patients/checkin_field.html).
            widget=forms.RadioSelect(attrs={"class": "scale-input"}),
            required=not item.optional,
        )
    return forms.IntegerField(
        label=format_lazy("{} ({})", _(item.text), _(item.unit)) if item.unit else _(item.text),
        min_value=item.minimum,
        max_value=item.maximum,
        required=not item.optional,
    )


@cache
def instrument_fields(instrument_ids: tuple[str, ...]) -> dict[str, forms.Field]:
    """The fields of these instruments, built once (labels translate when shown): building
    the check-in's 23 choice fields cost more than copying them, which every form does."""
    return {f"{instrument.id}-{item.id}": item_field(item)
            for instrument in map(get_instrument, instrument_ids) for item in instrument.items}


class InstrumentsForm(forms.Form):
    """Fields for one or more instruments, named `<instrument>-<item>`, built from definitions."""

    def __init__(self, instrument_ids: tuple[str, ...], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(copy.deepcopy(instrument_fields(instrument_ids)))
        self.instruments: list[Instrument] = [get_instrument(i) for i in instrument_ids]

    def first_error_anchor(self) -> str:
        """The element id of the first question with an error (radio groups: first option)."""
        for name in self.fields:
            if name in self.errors:
                bound = self[name]
                radio = isinstance(bound.field.widget, forms.RadioSelect)
                return f"{bound.auto_id}_0" if radio else str(bound.auto_id)
        return ""

    def sections(self) -> list[tuple[Instrument, list[forms.BoundField]]]:
        return [
            (instrument, [self[f"{instrument.id}-{item.id}"] for item in instrument.items])
            for instrument in self.instruments
        ]

    def answers(self) -> dict[str, list[object]]:
        return {
            instrument.id: [
                self.cleaned_data.get(f"{instrument.id}-{item.id}") for item in instrument.items
            ]
            for instrument in self.instruments
        }

    @classmethod
    def initial_from(cls, responses: dict[str, list[object]]) -> dict[str, object]:
        initial: dict[str, object] = {}
        for instrument_id, values in responses.items():
            instrument = get_instrument(instrument_id)
            for item, value in zip(instrument.items, values, strict=False):
                initial[f"{instrument_id}-{item.id}"] = value
        return initial


YES_NO = [("yes", _("Yes")), ("no", _("No"))]
SAFETY_ANSWER_LABELS = {
    **{d.id: _(d.label) for d in DANGER_SYMPTOMS},
    SELF_HARM: _("thoughts of being better off dead or of hurting yourself"),
}


# The last, optional screen of the check-in.
OPTIONAL_EXTRAS: Final = ("sleep_hours", "temperature_c", "note")


class CheckinExtrasForm(forms.Form):
    """The check-in questions besides the instruments, prefilled with today's answers.

    A red flag recorded today (a danger symptom, a yes to self-harm) that the form showed
    and the patient then unticked or changed to no is withdrawn only when `withdraw` is
    ticked too; otherwise the form says so and nothing is written. Flags recorded after the
    form was shown (`shown_red_flags`) are kept: the patient never saw them.

    Mood is not asked here: the daily extras ask it ("My mood is low"), and one question is
    asked once; progress charts read mood from that answer when the 1–5 mood (API) is absent.
    How long the person slept is a number the extras do not ask (they ask how badly), so it
    stays, optional, on the last screen for the sleep chart. `quick` is the bad-night version:
    the safety questions only (the view adds craving); the optional fields are not shown, so
    a quick update never clears them.
    """

    danger_symptoms = forms.MultipleChoiceField(
        label=_("Since yesterday, have you had any of these?"), required=False,
        choices=[(d.id, _(d.label)) for d in DANGER_SYMPTOMS],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("If you have one of these right now, call 911."),
    )
    self_harm_thoughts = forms.TypedChoiceField(
        label=_("Since yesterday, have you had thoughts that you would be better off dead, "
                "or of hurting yourself?"),
        choices=YES_NO, coerce=lambda v: v == "yes", widget=forms.RadioSelect,
        required=True,
    )
    withdraw = forms.BooleanField(
        label=_("I answered by mistake earlier today: take back the answers above that I "
                "have unticked or changed to No"),
        required=False,
        help_text=_("Your care team can see that an answer was taken back."),
    )
    sleep_hours = forms.DecimalField(
        label=_("How many hours did you sleep last night? (optional)"), required=False,
        min_value=SLEEP_RANGE[0], max_value=SLEEP_RANGE[1], decimal_places=1, max_digits=3,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.5"}),
    )
    temperature_c = forms.DecimalField(
        label=_("Your temperature in °C, if you measured it (optional)"), required=False,
        min_value=TEMPERATURE_RANGE[0], max_value=TEMPERATURE_RANGE[1], decimal_places=1,
        max_digits=3, help_text=_("Hot flushes and sweating are common in withdrawal; a "
                                  "measured fever is not, so we ask."),
    )
    note = forms.CharField(
        label=_("Anything else about today? (optional)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    shown_red_flags = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, recorded: frozenset[str] = frozenset(),
                 quick: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recorded = recorded
        self.fields["shown_red_flags"].initial = ",".join(sorted(recorded))
        if not recorded:  # nothing to take back
            del self.fields["withdraw"]
        if quick:
            for name in OPTIONAL_EXTRAS:
                del self.fields[name]

    def safety_fields(self) -> list[forms.BoundField]:
        """The safety questions, shown first (and alone with craving in the quick version)."""
        return [self[name] for name in ("danger_symptoms", "self_harm_thoughts", "withdraw")
                if name in self.fields]

    def optional_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in OPTIONAL_EXTRAS if name in self.fields]

    def checkin_data(self) -> dict[str, object] | None:
        """The fields as CheckinInput.parse reads them, or None after adding an error."""
        data = self.cleaned_data
        shown = frozenset(data["shown_red_flags"].split(",")) & self.recorded
        dropped = shown - red_flags(data["danger_symptoms"], data["self_harm_thoughts"])
        if dropped and not data.get("withdraw"):
            labels = [str(SAFETY_ANSWER_LABELS[flag]) for flag in sorted(dropped)]
            self.add_error("withdraw", _(
                "You reported this earlier today: %(answers)s. To take it back, tick this box; "
                "otherwise tick it again above.") % {"answers": "; ".join(labels)})
            return None
        return {
            **{name: data[name] for name in OPTIONAL_EXTRAS if name in self.fields},
            "danger_symptoms": data["danger_symptoms"],
            "self_harm_thoughts": data["self_harm_thoughts"],
            "withdraw": sorted(dropped),
        }


class UseForm(forms.Form):
    taken_at = LocalDateTimeField(
        label=_("When?"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    amount = forms.DecimalField(label=_("How much?"), min_value=0, max_digits=8,
                                decimal_places=2)
    unit = forms.ChoiceField(label=_("Unit"), choices=labelled(care_profile.UNITS, UNIT_LABELS))
    note = forms.CharField(label=_("What was going on? (optional)"), required=False,
                           max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class JoinForm(forms.Form):
    invite_code = forms.CharField(label=_("Invite code"), max_length=16)


class ContactForm(forms.Form):
    """Contact details (patients/contact.py checks them again and names the field)."""

    phone = forms.CharField(
        label=_("Your phone number (optional)"), required=False, max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        help_text=_("Digits, spaces, +, - and parentheses; 7 to 20 characters."),
    )
    email = forms.CharField(
        label=_("Your e-mail address (optional)"), required=False, max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Also used to reset your password and for notices you ask for."),
    )
    emergency_name = forms.CharField(label=_("Emergency contact: name (optional)"),
                                     required=False, max_length=80)
    emergency_phone = forms.CharField(
        label=_("Emergency contact: phone"), required=False, max_length=20,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    emergency_relationship = forms.CharField(
        label=_("Emergency contact: relationship to you"), required=False, max_length=40,
        help_text=_("For example: partner, sister, friend."),
    )
    emergency_consent = forms.BooleanField(
        label=_("My care team may see my emergency contact in an emergency"), required=False,
        help_text=_("They see it only on an emergency alert. Nothing is ever sent to your "
                    "contact automatically."),
    )
