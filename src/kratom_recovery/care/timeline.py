"""Withdrawal timeline: the phase someone is in and a 30-day SOWS forecast after the last dose.

There is no peer-reviewed onset/peak/duration curve for kratom withdrawal [ref:timeline-blogs].
The population timeline (onset within about a day, worst on days 2–3, acute phase over
after about a week, mood and energy symptoms for weeks) comes from blogs only, so this model is
*calibrated to it* and every number is a labelled, adjustable assumption (`ASSUMPTIONS`).

Mechanism (docs/timeline.md has the equations):
- drug level `c` falls with the product's half-life (mitragynine 23 h, 7-OH 5.7 h;
  [ref:trakulsrichai2015] [ref:tanna2022]);
  doses add to it, normalised so the person's usual daily amount gives an average level of 1;
- two neuroadaptation states chase the drug level more slowly: a fast one (`tau_acute_h`) drives
  the acute syndrome, a slow one (`tau_post_acute_h`) the lingering post-acute symptoms;
- symptoms grow with the gap (adaptation minus drug level), so a taper step-down makes a small,
  short bump and an abrupt stop a large one;
- the size is scaled to SOWS (0–64) with the Rogers et al. 2024 mean (13.5, SD 11.9) and the
  person's risk factors; a grid posterior over a severity multiplier and a recovery-time
  multiplier lets their own check-ins pull the forecast towards what they report.
Deterministic: no random numbers anywhere.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, Final

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.profile import UseProfile

PHASES: Final = ("pre-onset", "onset", "peak", "subsiding", "post-acute")
FLAGS: Final = ("worse-than-expected", "prolonged-acute")
# "withdrawal": the last dose ends regular use; "small-bump": its expected bump stays below the
# level at which a full withdrawal's acute phase counts as over (a lapse after time off, or the
# small last step of a taper), so no fresh full-withdrawal course is shown.
COURSES: Final = ("withdrawal", "small-bump")
SOWS_MAX: Final = 64.0
FORECAST_DAYS: Final = 30
Z80: Final = 1.2815515655446004  # standard normal 90th percentile: 80% central band
_P90: Final = 0.9  # the top of an 80% central range

# Plain words for patients, one per phase. "subsiding" and "post-acute" reassure, so they are
# shown only when `reassurance_allowed` (see `shown_phase`).
PHASE_LABELS: Final[dict[str, str]] = {
    "pre-onset": "Withdrawal has probably not started yet.",
    "onset": "Withdrawal symptoms are probably starting.",
    "peak": "This is usually the hardest stretch: symptoms are likely at their strongest.",
    "subsiding": "The worst is probably behind you: symptoms usually ease from here.",
    "post-acute": (
        "The physical part is mostly over. Low mood, tiredness, poor sleep and cravings can "
        "linger for weeks."
    ),
}
# Shown instead of a reassuring label when the evidence says symptoms are still acute.
STILL_ACUTE_LABEL: Final = (
    "Withdrawal symptoms can still be strong at this point. They do ease, but for some people "
    "it takes longer than the usual course."
)
# Shown instead of the phases of a fresh withdrawal after a small last dose.
SMALL_BUMP_LABEL: Final = (
    "A single use or a small last dose usually brings only a small, short return of symptoms, "
    "much milder than stopping regular use."
)
# Always shown with a forecast (card, chart, API, CLI): the timing is not measured.
ESTIMATE_NOTICE: Final = (
    "Kratom withdrawal timing has not been measured in studies, so this is an estimate."
)

# The blog-only population timeline the defaults are calibrated to (not evidence-based)
# [ref:timeline-blogs].
SEED_TIMELINE: Final[dict[str, tuple[float, float]]] = {
    "onset_h": (6.0, 24.0),
    "peak_h": (24.0, 72.0),
    "acute_end_days": (5.0, 10.0),
}

# Other substances that point to another substance use disorder (severity assumption below).
OTHER_SUD_SIGNALS: Final = frozenset(
    {"opioids", "benzodiazepines", "alcohol", "gabapentinoids", "other-sedatives"}
)
# Conditions whose symptoms overlap SOWS items (aches, anxious, restless).
OVERLAPPING_CONDITIONS: Final = frozenset({"chronic-pain", "anxiety", "depression"})


@dataclass(frozen=True)
class ModelParams:
    """Every number the model uses; each has an entry in ASSUMPTIONS and in docs/timeline.md."""

    half_life_h: tuple[tuple[str, float], ...] = (
        ("leaf", 23.24), ("capsules", 23.24), ("extract", 23.24), ("7-oh", 5.67), ("other", 23.24),
    )
    tau_acute_h: float = 120.0
    tau_post_acute_h: float = 504.0
    post_acute_weight: float = 0.15
    gap_exponent: float = 2.0
    sows_mean: float = 13.5
    sows_sd: float = 11.9
    reference_amount_g: float = 15.0
    reference_doses_per_day: float = 3.0
    reference_years: float = 2.0
    amount_products: tuple[str, ...] = ("leaf", "capsules")
    amount_exponent: float = 0.25
    frequency_exponent: float = 0.5
    years_severity_slope: float = 0.075
    years_severity_max: float = 1.3
    years_time_slope: float = 0.03
    years_time_max: float = 1.3
    amount_time_exponent: float = 0.1
    frequency_time_exponent: float = 0.2
    time_scale_max: float = 1.5
    product_severity: tuple[tuple[str, float], ...] = (
        ("leaf", 1.0), ("capsules", 1.0), ("extract", 1.15), ("7-oh", 1.0), ("other", 1.0),
    )
    other_sud_severity: float = 1.15
    overlapping_condition_severity: float = 1.1
    time_sd_log: float = 0.3
    observation_sd_sqrt: float = 0.75
    onset_fraction: float = 0.2
    peak_fraction: float = 0.8
    acute_end_fraction: float = 0.3
    acute_level_sows: float = 11.0
    flag_ceiling_sows: float = 48.0
    flag_window_days: float = 3.0
    history_days: int = 7

    def half_life_for(self, product: str) -> float:
        return dict(self.half_life_h).get(product, dict(self.half_life_h)["other"])

    def severity_for(self, product: str) -> float:
        return dict(self.product_severity).get(product, 1.0)


DEFAULTS: Final = ModelParams()


@dataclass(frozen=True)
class Assumption:
    parameter: str
    text: str
    source: str


ASSUMPTIONS: Final[tuple[Assumption, ...]] = (
    Assumption("half_life_h", "Mitragynine half-life 23.24 h for leaf, capsules, extract and "
               "other (range up to a 45 h median); 7-OH half-life 5.67 h.",
               "[ref:trakulsrichai2015] [ref:tanna2022]"),
    Assumption("tau_acute_h", "The body's adaptation to kratom unwinds with a 5-day time "
               "constant, chosen so a typical user's symptoms start within a day, are worst on "
               "days 2–3 and ease after about a week.",
               "assumption, calibrated to blog timelines (not evidence-based) "
               "[ref:timeline-blogs]"),
    Assumption("tau_post_acute_h", "Lingering mood, sleep and energy symptoms fade with a "
               "3-week time constant.", "assumption ([ref:timeline-blogs]: 'weeks to months')"),
    Assumption("post_acute_weight", "Lingering symptoms are 15% of the peak on the SOWS scale.",
               "assumption"),
    Assumption("gap_exponent", "Symptoms grow with the square of the adaptation gap, so small "
               "taper steps cause little discomfort.",
               "assumption (community taper reports of mild steps, [ref:community-taper])"),
    Assumption("sows_mean", "A typical user's expected worst SOWS total is 13.5.",
               "[ref:rogers2024] mean SOWS 13.5; using it as the peak is an "
               "assumption"),
    Assumption("sows_sd", "People differ a lot: the spread of the worst score follows SD 11.9 "
               "(80% band roughly 0.4× to 2.6× the middle).", "[ref:rogers2024]"),
    Assumption("reference_amount_g", "A typical user takes 15 g a day.", "assumption"),
    Assumption("reference_doses_per_day", "A typical user doses 3 times a day.",
               "assumption ([ref:singh2014]: ≥3 glasses/day is the studied threshold)"),
    Assumption("reference_years", "A typical user has used for 2 years.", "assumption"),
    Assumption("amount_products", "Only grams of leaf and capsules (plant material) are "
               "compared with the typical 15 g; grams of extract or other products vary too "
               "much in strength, so their amount is not used (as for mg and tablets).",
               "assumption [ref:assumption:timeline-model]"),
    Assumption("amount_exponent", "Severity grows with the fourth root of grams per day "
               "(only for leaf and capsule grams; extract, mg and tablets are not converted).",
               "direction: [ref:smith2021], [ref:weiss-douglas2021]; size "
               "assumed, kept smaller than frequency per [ref:rogers2024]"),
    Assumption("frequency_exponent", "Severity grows with the square root of doses per day.",
               "direction: [ref:rogers2024]; [ref:singh2014] [ref:singh2019]; size assumed"),
    Assumption("years_severity_slope", "Each year of use beyond 2 adds 7.5% to severity, up to "
               "+30% in all.", "direction: [ref:smith2022-frontiers]; [ref:singh2019] (>7 "
               "years); size assumed"),
    Assumption("years_severity_max", "Years of use raise severity by at most 1.3×.",
               "assumption"),
    Assumption("years_time_slope", "Each year of use beyond 2 makes recovery 3% slower, up to "
               "1.3×.", "assumption"),
    Assumption("years_time_max", "Years of use slow recovery by at most 1.3×.", "assumption"),
    Assumption("amount_time_exponent", "Recovery is slower with more grams a day: the time "
               "scale grows with the tenth root of leaf or capsule grams per day (15 g → 1×, "
               "100 g → 1.2×).",
               "direction: [ref:smith2021]; size assumed [ref:assumption:timeline-model]"),
    Assumption("frequency_time_exponent", "Recovery is slower with more doses a day, more so "
               "than with more grams: the time scale grows with the fifth root of doses per day "
               "(3 → 1×, 6 → 1.15×, 12 → 1.3×).",
               "direction: [ref:rogers2024] (frequency matters more than amount); "
               "[ref:smith2022-frontiers] (longer use, more severe); size assumed "
               "[ref:assumption:timeline-model]"),
    Assumption("time_scale_max", "Amount and years together slow or speed recovery by at "
               "most 1.5×; doses a day add at most 1.5× more (24 a day). Before any check-ins "
               "the acute phase then ends between about day 5 and day 12, within the blogs' "
               "5 days to 2 weeks.",
               "assumption [ref:assumption:timeline-model] [ref:timeline-blogs]"),
    Assumption("product_severity", "Extract products are 1.15× as severe as leaf; 7-OH needs no "
               "extra factor because its short half-life already makes withdrawal sharper.",
               "assumption ([ref:galbis-reig2016]; [ref:smith-7oh-commentary])"),
    Assumption("other_sud_severity", "Regular use of opioids, sedatives or alcohol adds 15%.",
               "assumption ([ref:hill2024]: another SUD OR 2.83 for KUD)"),
    Assumption("overlapping_condition_severity", "Chronic pain, anxiety or depression add 10% "
               "because they share symptoms with the SOWS items.", "assumption"),
    Assumption("time_sd_log", "Recovery speed varies between people by a log-SD of 0.3 "
               "(blogs give 5–10 days for the acute phase).", "assumption [ref:timeline-blogs]"),
    Assumption("observation_sd_sqrt", "A check-in differs from the person's true level by an "
               "SD of 0.75 on the square-root scale (about ±40% at a total of 13); several "
               "check-ins on one day count as one day.", "assumption"),
    Assumption("onset_fraction", "Onset: symptoms reach 20% of their peak.", "assumption"),
    Assumption("peak_fraction", "Peak: symptoms are within 80% of their peak.", "assumption"),
    Assumption("acute_end_fraction", "The acute phase ends when symptoms fall below 30% of "
               "their peak.", "assumption"),
    Assumption("acute_level_sows", "Acute-level symptoms mean a SOWS total of 11 or more.",
               "CTN-0051 'moderate' band starts at 11 [ref:ctn0094-data]"),
    Assumption("flag_ceiling_sows", "A check-in of more than 48 (every item 'quite a bit' "
               "on average) always counts as above the expected range, so 'worse than "
               "expected' can fire for the heaviest use too, whose band reaches the top of "
               "the scale.", "assumption [ref:assumption:timeline-model]"),
    Assumption("flag_window_days", "Flags look at check-ins from the last 3 days.",
               "assumption"),
    Assumption("history_days", "Without a dose log, the last 7 days are modelled as evenly "
               "spaced doses after long steady use.", "assumption"),
)


@dataclass(frozen=True)
class Dose:
    time: datetime
    amount: float


@dataclass(frozen=True)
class Observation:
    time: datetime
    sows_total: float


@dataclass(frozen=True)
class ForecastPoint:
    day: int
    expected: float
    low: float
    high: float


@dataclass(frozen=True)
class PhaseTimes:
    """Hours after the last dose at which each phase begins (from the person's expected curve)."""

    onset_h: float
    peak_start_h: float
    peak_end_h: float
    acute_end_h: float


@dataclass(frozen=True)
class Forecast:
    """The forecast for one moment.

    `phase` and `phase_label` are what to show: `model_phase` (from timing alone) after the
    reassurance gate (`shown_phase`). `acute_end_range` is the 80% range of the acute phase's
    end from the spread of the recovery-time multiplier (prior, or posterior after check-ins);
    `acute_end_expected` is its middle.
    """

    phase: str
    phase_label: str
    hours_since_last_dose: float
    last_dose: datetime
    acute_end_expected: date
    flags: tuple[str, ...]
    points: tuple[ForecastPoint, ...]
    peak_day: int
    phase_times: PhaseTimes
    model_phase: str
    course: str
    expected_now: float
    latest_observed: float | None
    acute_end_range: tuple[date, date]
    acute_end_range_h: tuple[float, float]
    assumptions: tuple[str, ...] = field(default=())
    notice: str = ESTIMATE_NOTICE

    def as_dict(self) -> dict[str, Any]:
        return {
            "phase": self.phase,
            "phase_label": self.phase_label,
            "model_phase": self.model_phase,
            "course": self.course,
            "notice": self.notice,
            "hours_since_last_dose": round(self.hours_since_last_dose, 2),
            "last_dose": self.last_dose.isoformat(),
            "acute_end_expected": self.acute_end_expected.isoformat(),
            "acute_end_range": {
                "earliest": self.acute_end_range[0].isoformat(),
                "latest": self.acute_end_range[1].isoformat(),
            },
            "expected_now": round(self.expected_now, 1),
            "latest_observed": self.latest_observed,
            "flags": list(self.flags),
            "peak_day": self.peak_day,
            "forecast": [
                {"day": p.day, "expected": p.expected, "low": p.low, "high": p.high}
                for p in self.points
            ],
            "assumptions": list(self.assumptions),
        }


def phase_for(hours_since_last_dose: float, times: PhaseTimes) -> str:
    """The phase for a time after the last dose, given the person's phase boundaries."""
    if hours_since_last_dose < times.onset_h:
        return "pre-onset"
    if hours_since_last_dose < times.peak_start_h:
        return "onset"
    if hours_since_last_dose <= times.peak_end_h:
        return "peak"
    if hours_since_last_dose < times.acute_end_h:
        return "subsiding"
    return "post-acute"


REASSURING_PHASES: Final = frozenset({"subsiding", "post-acute"})


def reassurance_allowed(
    expected_now: float,
    latest_observed: float | None,
    flags: Collection[str],
    params: ModelParams = DEFAULTS,
) -> bool:
    """Whether a reassuring phase ("the worst is probably behind you", "post-acute") may show.

    Timing alone is not enough: the expected SOWS now and the latest recent check-in must both
    be below the acute level, and no timeline flag may be on. Otherwise the screen would say
    "mostly over" while the model or the person says otherwise.
    """
    level = params.acute_level_sows
    return (
        expected_now < level
        and (latest_observed is None or latest_observed < level)
        and not set(flags) & set(FLAGS)
    )


def shown_phase(model_phase: str, course: str, allowed: bool) -> tuple[str, str]:
    """The phase and label to show, from the timing phase, the course and the gate.

    Withheld reassurance shows STILL_ACUTE_LABEL under an acute phase id ("subsiding" unless
    the timing says onset or peak), so everything that acts on acute phases (coping, caseload,
    missed check-in rules) keeps doing so. A small bump never restarts the phases of a fresh
    withdrawal.
    """
    if model_phase not in PHASES:
        raise InvalidInput("phase", f"must be one of {', '.join(PHASES)} (got {model_phase!r})")
    if course not in COURSES:
        raise InvalidInput("course", f"must be one of {', '.join(COURSES)} (got {course!r})")
    if model_phase not in REASSURING_PHASES and course == "withdrawal":
        return model_phase, PHASE_LABELS[model_phase]
    if not allowed:
        return (model_phase if model_phase in ("onset", "peak") else "subsiding",
                STILL_ACUTE_LABEL)
    if course == "small-bump":
        return "post-acute", SMALL_BUMP_LABEL
    return model_phase, PHASE_LABELS[model_phase]


# --- risk factors ------------------------------------------------------------------------------


def severity_scale(profile: UseProfile, params: ModelParams = DEFAULTS) -> float:
    """Multiplier on the typical SOWS peak from the person's use pattern (each non-decreasing)."""
    scale: float = params.severity_for(profile.product)
    if amount_is_scaled(profile, params):
        scale *= math.pow(profile.amount_per_day / params.reference_amount_g,
                          params.amount_exponent)
    scale *= math.pow(profile.doses_per_day / params.reference_doses_per_day,
                      params.frequency_exponent)
    years = 1 + params.years_severity_slope * (profile.years_of_use - params.reference_years)
    scale *= min(params.years_severity_max, max(1 / params.years_severity_max, years))
    if profile.other_substances & OTHER_SUD_SIGNALS:
        scale *= params.other_sud_severity
    if profile.conditions & OVERLAPPING_CONDITIONS:
        scale *= params.overlapping_condition_severity
    return scale


def amount_is_scaled(profile: UseProfile, params: ModelParams = DEFAULTS) -> bool:
    """Only grams of plant material compare with the reference amount: extract grams, mg and
    tablets differ in strength by product, and there is no source to convert them."""
    return profile.unit == "g" and profile.product in params.amount_products


def time_scale(profile: UseProfile, params: ModelParams = DEFAULTS) -> float:
    """Multiplier on the adaptation time constants from amount, doses a day and years of use.

    Each factor is non-decreasing in its input, so more use never makes the acute phase end
    earlier. The doses-a-day factor stays outside the clamp on purpose: more frequent doses
    also make the modelled drug level smoother, which on its own would end the acute phase an
    hour or so sooner, and a clamped factor could not outweigh that.
    """
    years = 1 + params.years_time_slope * (profile.years_of_use - params.reference_years)
    scale = min(params.years_time_max, max(1 / params.years_time_max, years))
    if amount_is_scaled(profile, params):
        scale *= math.pow(profile.amount_per_day / params.reference_amount_g,
                          params.amount_time_exponent)
    scale = min(params.time_scale_max, max(1 / params.time_scale_max, scale))
    return scale * math.pow(profile.doses_per_day / params.reference_doses_per_day,
                            params.frequency_time_exponent)


# --- the mechanism -----------------------------------------------------------------------------


def _chase(a: float, c: float, r: float, k: float, dt: float, ek: float) -> float:
    """Exact step of da/dt = r (c - a) while c decays as exp(-k t)."""
    er = math.exp(-r * dt)
    if abs(r - k) < 1e-12:
        return a * er + c * r * dt * ek
    return a * er + c * r / (r - k) * (ek - er)


def _simulate(
    doses: Sequence[tuple[float, float]], times: Sequence[float], k: float, r1: float, r2: float
) -> list[tuple[float, float]]:
    """(acute gap, post-acute gap) at each sorted time; times in hours, doses normalised.

    Before the first dose the person is at steady state (level and adaptation = 1). That
    earlier use stops being added at the first dose and its level decays from there, while the
    listed doses build the level back up: the sum stays near 1 during steady use.
    """
    if abs(r1 - k) < 1e-12 or abs(r2 - k) < 1e-12:  # avoid the removable singularity
        k *= 1 + 1e-9
    q1, q2 = r1 / (r1 - k), r2 / (r2 - k)
    c, a1, a2 = 1.0, 1.0, 1.0
    t = doses[0][0] if doses else 0.0
    out: list[tuple[float, float]] = []
    i, n = 0, len(doses)
    for when in times:
        while True:
            # Next event: a dose at or before `when`, else `when` itself.
            dose_due = i < n and doses[i][0] <= when
            target = doses[i][0] if dose_due else when
            dt = target - t
            if dt > 0:
                ek, e1, e2 = math.exp(-k * dt), math.exp(-r1 * dt), math.exp(-r2 * dt)
                a1 = a1 * e1 + c * q1 * (ek - e1)
                a2 = a2 * e2 + c * q2 * (ek - e2)
                c *= ek
                t = target
            if not dose_due:
                break
            c += doses[i][1]
            i += 1
        g1, g2 = a1 - c, a2 - c
        out.append((g1 if g1 > 0 else 0.0, g2 if g2 > 0 else 0.0))
    return out


@lru_cache(maxsize=8)
def _reference_gap(params: ModelParams) -> float:
    """Peak acute gap after a typical leaf user stops: it maps the acute term to 0–1."""
    k = math.log(2) / params.half_life_for("leaf")
    r = 1 / params.tau_acute_h
    return max(
        k / (k - r) * (math.exp(-r * s) - math.exp(-k * s)) for s in range(0, 24 * 30)
    )


def _shape(gaps: tuple[float, float], params: ModelParams, g_ref: float) -> float:
    acute = math.pow(gaps[0] / g_ref, params.gap_exponent)
    return (1 - params.post_acute_weight) * acute + params.post_acute_weight * gaps[1]


# --- public entry point ------------------------------------------------------------------------


def synthesize_doses(profile: UseProfile, params: ModelParams = DEFAULTS) -> list[Dose]:
    """Evenly spaced doses over the last `history_days` days, ending at the last dose."""
    if profile.last_dose is None:
        raise InvalidInput("last_dose", "is needed for a timeline (date and time of last dose)")
    per_dose = profile.amount_per_day / profile.doses_per_day
    step = timedelta(hours=24 / profile.doses_per_day)
    count = params.history_days * profile.doses_per_day
    return [Dose(profile.last_dose - step * (count - 1 - i), per_dose) for i in range(count)]


def _grid(sd: float, mean_one: bool, half_width: float, n: int) -> tuple[list[float], list[float]]:
    """Log-normal prior as (values, weights) on an even grid of z-scores."""
    mu = -sd * sd / 2 if mean_one else 0.0
    zs = [-half_width + 2 * half_width * i / (n - 1) for i in range(n)]
    weights = [math.exp(-z * z / 2) for z in zs]
    total = sum(weights)
    return [math.exp(mu + sd * z) for z in zs], [w / total for w in weights]


@lru_cache(maxsize=8)
def _priors(params: ModelParams) -> tuple[tuple[float, ...], tuple[float, ...],
                                          tuple[float, ...], tuple[float, ...], _Rows]:
    """The severity and recovery-time grids with their prior weights, and the prior's rows:
    they depend on the parameters alone, so every forecast with the same ones shares them."""
    sev_values, sev_prior = _grid(_severity_sd(params), True, 3.0, 31)
    time_values, time_prior = _grid(params.time_sd_log, False, 2.5, 9)
    prior = _rows([[sp * tp for sp in sev_prior] for tp in time_prior], sev_values)
    return (tuple(sev_values), tuple(sev_prior), tuple(time_values), tuple(time_prior),
            prior)


@dataclass(frozen=True)
class _Rows:
    """Per recovery-time row of the grid: weight, E[m_s], and mean/variance of log m_s."""

    weight: tuple[float, ...]
    mean: tuple[float, ...]
    log_mean: tuple[float, ...]
    log_var: tuple[float, ...]


def _rows(grid: Sequence[Sequence[float]], sev_values: Sequence[float]) -> _Rows:
    logs = [math.log(v) for v in sev_values]
    weight, mean, log_mean, log_var = [], [], [], []
    for row in grid:
        w = sum(row)
        m1 = sum(p * lv for p, lv in zip(row, logs, strict=True)) / w
        m2 = sum(p * lv * lv for p, lv in zip(row, logs, strict=True)) / w
        weight.append(w)
        mean.append(sum(p * v for p, v in zip(row, sev_values, strict=True)) / w)
        log_mean.append(m1)
        log_var.append(max(0.0, m2 - m1 * m1))
    return _Rows(tuple(weight), tuple(mean), tuple(log_mean), tuple(log_var))


def _summary(levels: Sequence[float], rows: _Rows) -> tuple[float, float, float]:
    """Mean and 80% band of severity = level_j x m_s over the grid.

    The band is a log-normal matched to the mixture's log-mean and log-variance: exact for the
    log-normal prior, and smooth where a sorted discrete grid would step.
    """
    mean = sum(w * lv * m for w, lv, m in zip(rows.weight, levels, rows.mean, strict=True))
    if mean <= 0:
        return 0.0, 0.0, 0.0
    mu = second = 0.0
    for w, lv, m1, var in zip(rows.weight, levels, rows.log_mean, rows.log_var, strict=True):
        centre = math.log(max(lv, 1e-9)) + m1
        mu += w * centre
        second += w * (centre * centre + var)
    sd = math.sqrt(max(0.0, second - mu * mu))
    low, high = math.exp(mu - Z80 * sd), math.exp(mu + Z80 * sd)
    return min(SOWS_MAX, mean), min(SOWS_MAX, low), min(SOWS_MAX, high)


def _full_stop_gap(k: float, r: float) -> float:
    """Peak acute gap after steady use stops (level and adaptation 1 at the stop).

    Closed form: g(s) = k / (k - r) (e^-rs - e^-ks), highest at s = ln(k/r) / (k - r).
    """
    if abs(r - k) < 1e-12:
        k *= 1 + 1e-9
    top = math.log(k / r) / (k - r)
    return k / (k - r) * (math.exp(-r * top) - math.exp(-k * top))


@lru_cache(maxsize=256)
def _phase_times(
    doses: tuple[tuple[float, float], ...], k: float, r: float, params: ModelParams
) -> tuple[PhaseTimes, float]:
    """Phase boundaries from the acute gap, hour by hour for up to 30 days after the last
    dose, and the gap's peak.

    After the last dose nothing is added, so the gap is a sum of two decaying exponentials,
    stepped by constant factors: it rises to one peak and then only falls. So the stepping
    stops once the gap has peaked and dropped below the acute end's level, where nothing
    after it can change a boundary. Cached: the prior's boundaries repeat at every check-in
    of a patient whose doses have not changed.
    """
    c, a = 1.0, 1.0
    t = doses[0][0]
    for when, amount in doses:
        dt = when - t
        if dt > 0:
            ek = math.exp(-k * dt)
            a, c, t = _chase(a, c, r, k, dt, ek), c * ek, when
        c += amount
    if abs(r - k) < 1e-12:
        k *= 1 + 1e-9
    step_k, step_r, q = math.exp(-k), math.exp(-r), r / (r - k)
    # The acute term is gap**p, so gaps are compared against peak * fraction**(1/p).
    root = 1 / params.gap_exponent
    end_share = math.pow(params.acute_end_fraction, root)
    stop_share = min(end_share, math.pow(params.peak_fraction, root))
    acute: list[float] = []
    peak, top = 0.0, 0
    for hour in range(24 * FORECAST_DAYS + 1):
        gap = a - c
        gap = gap if gap > 0 else 0.0
        acute.append(gap)
        if gap > peak:
            peak, top = gap, hour
        elif peak > 0 and gap < peak * stop_share:
            break  # past the peak, below the acute end and the peak band: the rest only falls
        a = a * step_r + c * q * (step_k - step_r)
        c *= step_k
    if peak <= 0:
        return PhaseTimes(0.0, 0.0, 0.0, 0.0), 0.0
    onset_gap = peak * math.pow(params.onset_fraction, root)
    peak_gap = peak * math.pow(params.peak_fraction, root)
    end_gap = peak * end_share
    onset = next(h for h, g in enumerate(acute) if g >= onset_gap)
    peak_start = next(h for h, g in enumerate(acute) if g >= peak_gap)
    peak_end = next(h for h in range(len(acute) - 1, -1, -1) if acute[h] >= peak_gap)
    end = next((h for h in range(top, len(acute)) if acute[h] < end_gap),
               24 * FORECAST_DAYS)
    return PhaseTimes(float(onset), float(peak_start), float(peak_end), float(end)), peak


def _quantile_log(values: Sequence[float], weights: Sequence[float], q: float) -> float:
    """q-quantile of a grid distribution on an even log scale, each point the centre of a bin
    with weight spread evenly across it (smooth where the 9-point grid would step)."""
    logs = [math.log(v) for v in values]
    width = logs[1] - logs[0]
    total = sum(weights)
    seen = 0.0
    for log_value, w in zip(logs, weights, strict=True):
        share = w / total
        if seen + share >= q and share > 0:
            return math.exp(log_value - width / 2 + width * (q - seen) / share)
        seen += share
    return values[-1]


def forecast(
    profile: UseProfile,
    now: datetime,
    *,
    doses: Sequence[Dose] | None = None,
    observed: Sequence[Observation] = (),
    params: ModelParams = DEFAULTS,
    curve: bool = True,
) -> Forecast:
    """Phase now, the expected SOWS total for days 0–30 after the last dose, and flags.

    `doses` (time, amount in the profile's unit) overrides the steady history built from the
    profile; the person is assumed to take nothing after the last one. `curve=False` leaves
    out the day-by-day curve (`points` empty, `peak_day` 0): the safety evaluation needs
    the phase and the flags only, which do not depend on it.
    """
    history = (
        sorted(doses, key=lambda d: d.time) if doses is not None
        else synthesize_doses(profile, params)
    )
    if not history:
        raise InvalidInput("doses", "at least one dose is needed")
    for dose in history:
        if dose.time.tzinfo is None:
            raise InvalidInput("doses", "times must include a UTC offset")
        if not dose.amount >= 0 or math.isinf(dose.amount):
            raise InvalidInput("doses", "amounts must be zero or more")
    last_dose = history[-1].time
    if now.tzinfo is None:
        raise InvalidInput("now", "must include a UTC offset")
    if last_dose > now:
        raise InvalidInput("last_dose", "cannot be after now")
    for obs in observed:
        if obs.time.tzinfo is None:
            raise InvalidInput("observed", "times must include a UTC offset")
        if obs.time > now:
            raise InvalidInput("observed", f"check-in at {obs.time.isoformat()} is after now")
        if not 0 <= obs.sows_total <= SOWS_MAX:
            raise InvalidInput("observed", "SOWS totals must be from 0 to 64")

    # Hours relative to the last dose; amounts as a share of the usual daily level.
    k = math.log(2) / params.half_life_for(profile.product)
    unit_level = profile.amount_per_day / (k * 24)  # average level of steady daily use
    norm = [((d.time - last_dose).total_seconds() / 3600, d.amount / unit_level) for d in history]
    first = norm[0][0]
    g_ref = _reference_gap(params)
    scale = params.sows_mean * severity_scale(profile, params)
    base_tau = time_scale(profile, params)

    used = sorted(
        (o for o in observed if (o.time - last_dose).total_seconds() / 3600 >= first),
        key=lambda o: o.time,
    )
    obs_h = [(o.time - last_dose).total_seconds() / 3600 for o in used]
    days = [24.0 * d for d in range(FORECAST_DAYS + 1)] if curve else []
    hours_since = (now - last_dose).total_seconds() / 3600
    eval_h = sorted(set(obs_h) | set(days) | {hours_since})
    index = {h: i for i, h in enumerate(eval_h)}

    sev_values, sev_prior, time_values, time_prior, prior = _priors(params)
    shapes: list[list[float]] = []
    for m_t in time_values:
        tau = base_tau * m_t
        gaps = _simulate(norm, eval_h, k, 1 / (params.tau_acute_h * tau),
                         1 / (params.tau_post_acute_h * tau))
        shapes.append([_shape(g, params, g_ref) for g in gaps])

    # Grid posterior; each day's check-ins share one day's worth of evidence.
    per_day: dict[int, int] = {}
    for h in obs_h:
        per_day[math.floor(h / 24)] = per_day.get(math.floor(h / 24), 0) + 1
    # Gaussian on the square-root scale: (sqrt y - sqrt(s m sh))^2 expands into sums that
    # separate the severity multiplier from the shape, so the grid costs O(obs x times).
    weight = [1 / per_day[math.floor(h / 24)] for h in obs_h]
    sum_y = sum(w * o.sows_total for w, o in zip(weight, used, strict=True))
    root_y = [w * math.sqrt(o.sows_total) for w, o in zip(weight, used, strict=True)]
    at_obs = [index[h] for h in obs_h]
    inv_var = 1 / (2 * params.observation_sd_sqrt**2)
    scaled = [scale * m_s for m_s in sev_values]
    root_scaled = [math.sqrt(v) for v in scaled]
    log_sev = [math.log(p) for p in sev_prior]
    log_post: list[list[float]] = []
    for j, shape in enumerate(shapes):
        log_time = math.log(time_prior[j])
        cross = sum(ry * math.sqrt(shape[at]) for ry, at in zip(root_y, at_obs, strict=True))
        square = sum(w * shape[at] for w, at in zip(weight, at_obs, strict=True))
        log_post.append([
            ls + log_time - inv_var * (sum_y - 2 * rs * cross + s * square)
            for ls, s, rs in zip(log_sev, scaled, root_scaled, strict=True)
        ])
    top = max(max(row) for row in log_post)
    post = [[math.exp(v - top) for v in row] for row in log_post]
    total = sum(sum(row) for row in post)
    post = [[v / total for v in row] for row in post]

    post_rows = _rows(post, sev_values)

    def band(at: int, rows: _Rows) -> tuple[float, float, float]:
        return _summary([scale * shape[at] for shape in shapes], rows)

    points = []
    for d, h in enumerate(days):
        mean, low, high = band(index[h], post_rows)
        points.append(ForecastPoint(d, round(mean, 1), round(low, 1), round(high, 1)))
    peak_day = max(points, key=lambda p: p.expected).day if points else 0

    # Phases from the curve at the posterior (geometric) mean recovery time.
    time_weights = [sum(row) for row in post]
    m_t_post = math.exp(sum(w * math.log(v) for w, v in zip(time_weights, time_values,
                                                             strict=True)))

    doses_key = tuple(norm)  # hashable, for _phase_times' cache

    def timing(m_t: float) -> tuple[PhaseTimes, float]:
        return _phase_times(doses_key, k, 1 / (params.tau_acute_h * base_tau * m_t), params)

    prior_times, _ = timing(1.0)
    times, peak_gap = timing(m_t_post) if used else timing(1.0)
    model_phase = phase_for(hours_since, times)
    # The 80% range of the acute end from the spread of the recovery-time multiplier.
    end_range = tuple(
        timing(_quantile_log(time_values, time_weights, q))[0].acute_end_h
        for q in (1 - _P90, _P90)
    )
    # A bump whose top stays below the level where a full withdrawal's acute phase is over.
    full = _full_stop_gap(k, 1 / (params.tau_acute_h * base_tau * m_t_post))
    small = math.pow(peak_gap / full, params.gap_exponent) < params.acute_end_fraction
    course = "small-bump" if small else "withdrawal"
    expected_now = band(index[hours_since], post_rows)[0]

    # Flags compare recent check-ins with the prior (what we expected before seeing them).
    window = params.flag_window_days * 24
    recent = [(index[h], o) for o, h in zip(used, obs_h, strict=True)
              if hours_since - h <= window]
    flags: list[str] = []
    # The ceiling keeps the flag reachable when the band's top is at or near 64.
    above = sum(1 for at, o in recent
                if o.sows_total > min(band(at, prior)[2], params.flag_ceiling_sows))
    if len(recent) >= 2 and above * 2 > len(recent):
        flags.append("worse-than-expected")
    late = [o.sows_total for _, o in recent
            if (o.time - last_dose).total_seconds() / 3600 >= prior_times.acute_end_h]
    if len(late) >= 2 and sorted(late)[len(late) // 2] >= params.acute_level_sows:
        flags.append("prolonged-acute")
    latest = max(recent, key=lambda pair: pair[1].time)[1].sows_total if recent else None
    allowed = reassurance_allowed(expected_now, latest, flags, params)
    phase, label = shown_phase(model_phase, course, allowed)

    def local_date(hours: float) -> date:
        # A calendar date in the caller's zone (`now`'s), so "ease around <date>" is local.
        return (last_dose + timedelta(hours=hours)).astimezone(now.tzinfo).date()

    return Forecast(
        phase=phase,
        phase_label=label,
        hours_since_last_dose=hours_since,
        last_dose=last_dose,
        acute_end_expected=local_date(times.acute_end_h),
        flags=tuple(flags),
        points=tuple(points),
        peak_day=peak_day,
        phase_times=times,
        model_phase=model_phase,
        course=course,
        expected_now=expected_now,
        latest_observed=latest,
        acute_end_range=(local_date(end_range[0]), local_date(end_range[1])),
        acute_end_range_h=(end_range[0], end_range[1]),
        assumptions=tuple(f"{a.text} [{a.source}]" for a in ASSUMPTIONS),
    )


def _severity_sd(params: ModelParams) -> float:
    """Log-SD of a log-normal with the [ref:rogers2024] mean and SD."""
    cv = params.sows_sd / params.sows_mean
    return math.sqrt(math.log(1 + cv * cv))


__all__ = [
    "ASSUMPTIONS", "COURSES", "DEFAULTS", "ESTIMATE_NOTICE", "FLAGS", "PHASES", "PHASE_LABELS",
    "SEED_TIMELINE", "SMALL_BUMP_LABEL", "STILL_ACUTE_LABEL", "Assumption", "Dose", "Forecast",
    "ForecastPoint", "ModelParams", "Observation", "PhaseTimes", "amount_is_scaled", "forecast",
    "phase_for", "reassurance_allowed", "severity_scale", "shown_phase", "synthesize_doses",
    "time_scale",
]
