"""Writes to the program's referral directory: CSV import (two layouts) and one entry at a
time, both through the same row checks.

FindTreatment.gov has no documented bulk download [ref:findtreatment]; its locator rows carry
name1, name2, street1, street2, city, state, zip, phone, website, latitude, longitude,
typeFacility and services codes ([ref:findtreatment], V-2nd, may change), so the importer
accepts that layout and records the pull date.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.resources import check_zip
from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.followup.models import REFERRAL_KINDS, Referral, ReferralImport
from kratom_recovery.web.followup.referrals.queries import zip_centroid

FINDTREATMENT_COLUMNS = ("name1", "name2", "street1", "street2", "city", "state", "zip",
                         "phone", "website", "latitude", "longitude", "typeFacility", "services")
SIMPLE_COLUMNS = ("name", "kind", "street", "city", "state", "zip", "phone", "website",
                  "services", "latitude", "longitude")
SIMPLE_REQUIRED = ("name", "state", "zip")
MAX_BYTES = 2_000_000
MAX_ROWS = 20_000
US_STATES = frozenset({
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ",
    "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT",
    "VA", "WA", "WV", "WI", "WY", "DC", "PR", "VI", "GU", "AS", "MP",
})
# FindTreatment service codes that decide our `kind`, first match wins. The codes are
# UNVERIFIED (no documented code list, [ref:findtreatment]): adjust when confirmed.
# Anything unmatched is "other"; the raw codes are always kept in `services`.
KIND_FROM_SERVICE_CODES: tuple[tuple[str, frozenset[str]], ...] = (
    ("detox", frozenset({"DT", "DETOX"})),
    ("medication", frozenset({"OTP", "BU", "BUM", "MM", "MU", "NU", "NXN"})),
    ("residential", frozenset({"RES", "RS", "RL", "RD"})),
    ("outpatient", frozenset({"OP", "OI", "ORT", "ODT"})),
)


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    layout: str = ""


def split_services(value: str) -> list[str]:
    return [s.strip() for s in re.split(r"[;|,]", value or "") if s.strip()][:100]


def kind_from_services(codes: Iterable[str]) -> str:
    upper = {c.upper() for c in codes}
    for kind, known in KIND_FROM_SERVICE_CODES:
        if upper & known:
            return kind
    return "other"


def _coordinate(value: str, name: str, low: float, high: float) -> float | None:
    if not (value or "").strip():
        return None
    try:
        number = float(value)
    except ValueError:
        raise InvalidInput(name, _("must be a number")) from None
    if not low <= number <= high:
        raise InvalidInput(name, _("must be from %(low)s to %(high)s") % {"low": low,
                                                                          "high": high})
    return number


def clean_row(row: dict[str, str], layout: str) -> dict[str, Any]:
    """One CSV row as Referral fields; InvalidInput names the bad column."""
    get = {k: (v or "").strip() for k, v in row.items() if k is not None}
    if layout == "findtreatment":
        name = " – ".join(p for p in (get.get("name1", ""), get.get("name2", "")) if p)
        street = ", ".join(p for p in (get.get("street1", ""), get.get("street2", "")) if p)
        services = split_services(get.get("services", ""))
        kind = kind_from_services([*services, get.get("typeFacility", "")])
        name_field = "name1"
    else:
        name, street = get.get("name", ""), get.get("street", "")
        services = split_services(get.get("services", ""))
        kind = get.get("kind", "") or "other"
        name_field = "name"
        if kind not in REFERRAL_KINDS:
            raise InvalidInput("kind", _("one of: %(kinds)s")
                               % {"kinds": ", ".join(REFERRAL_KINDS)})
    if not name:
        raise InvalidInput(name_field, _("is required"))
    if len(name) > 200 or len(street) > 200:
        raise InvalidInput(name_field if len(name) > 200 else "street", _("is too long"))
    state = get.get("state", "").upper()
    if state not in US_STATES:
        raise InvalidInput("state", _("a two-letter US state code, like NY"))
    zip_code = check_zip(get.get("zip", ""))  # ZIP+4 is stored as its five digits
    if zip_code is None:
        raise InvalidInput("zip", _("is required: a 5-digit US ZIP code, like 20001"))
    website = get.get("website", "")
    if website:
        if not website.startswith(("http://", "https://")):
            website = "https://" + website
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError:
            raise InvalidInput("website", _("is not a web address")) from None
    latitude = _coordinate(get.get("latitude", ""), "latitude", -90, 90)
    longitude = _coordinate(get.get("longitude", ""), "longitude", -180, 180)
    if (latitude is None) != (longitude is None):
        raise InvalidInput("longitude", _("give both latitude and longitude, or neither"))
    if latitude is None or longitude is None:
        centroid = zip_centroid(zip_code)
        if centroid is not None:
            latitude, longitude = centroid
    phone = get.get("phone", "")
    if len(phone) > 40:
        raise InvalidInput("phone", _("is too long"))
    return {
        "name": name, "kind": kind, "street": street, "city": get.get("city", "")[:100],
        "state": state, "zip": zip_code, "phone": phone, "website": website,
        "latitude": latitude, "longitude": longitude, "services": services,
    }


def detect_layout(header: list[str]) -> str:
    columns = {h.strip() for h in header}
    if "name1" in columns:
        missing = [c for c in ("name1", "state", "zip") if c not in columns]
        layout = "findtreatment"
    else:
        missing = [c for c in SIMPLE_REQUIRED if c not in columns]
        layout = "simple"
    if missing:
        raise InvalidInput("file", _(
            "line 1: missing column(s) %(cols)s. Use the FindTreatment layout (%(ft)s) or "
            "ours (%(ours)s)") % {"cols": ", ".join(missing),
                                  "ft": ", ".join(FINDTREATMENT_COLUMNS),
                                  "ours": ", ".join(SIMPLE_COLUMNS)})
    return layout


def decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise InvalidInput("file", _("larger than %(mb)d MB") % {"mb": MAX_BYTES // 1_000_000})
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("file", _("is not UTF-8 text (save it as CSV UTF-8)")) from None


def import_csv(
    data: bytes, *, source: str, pulled_on: date, actor: User | None, now: datetime
) -> ImportReport:
    """Import every good row (each in its own savepoint) and report the others by line.

    Rows are matched on (name, street, ZIP): a re-import updates instead of duplicating.
    """
    if not source.strip() or len(source) > 64:
        raise InvalidInput("source", _("name the source in at most 64 characters"))
    if pulled_on > now.date():
        raise InvalidInput("pulled_on", _("cannot be in the future"))
    reader = csv.DictReader(io.StringIO(decode(data), newline=""))
    if not reader.fieldnames:
        raise InvalidInput("file", _("is empty"))
    report = ImportReport(layout=detect_layout(list(reader.fieldnames)))
    reader.fieldnames = [h.strip() for h in reader.fieldnames]
    count = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            report.errors.append((reader.line_num, _("unreadable CSV: %(e)s") % {"e": error}))
            break
        count += 1
        if count > MAX_ROWS:
            report.errors.append((reader.line_num, _("too many rows; the rest was skipped")))
            break
        if None in row:
            report.errors.append((reader.line_num, _("more values than columns")))
            continue
        try:
            fields = clean_row(row, report.layout)
            with transaction.atomic():
                _referral, created = Referral.objects.update_or_create(
                    name=fields.pop("name"), street=fields.pop("street"), zip=fields.pop("zip"),
                    defaults={**fields, "source": source.strip(), "imported_at": now,
                              "pulled_on": pulled_on, "updated_at": now},
                )
        except InvalidInput as error:
            report.errors.append((reader.line_num, f"{error.field}: {error.message}"))
            continue
        if created:
            report.created += 1
        else:
            report.updated += 1
    ReferralImport.objects.create(
        source=source.strip(), layout=report.layout, pulled_on=pulled_on, imported_at=now,
        imported_by=actor, created=report.created, updated=report.updated,
        errors=[list(e) for e in report.errors],
    )
    return report


@transaction.atomic
def save_referral(
    referral: Referral | None, data: dict[str, str], *, now: datetime
) -> Referral:
    """An admin adds or edits one entry; same checks as an imported row."""
    fields = clean_row(data, "simple")
    if referral is None:
        referral = Referral(source="program")
    for name, value in fields.items():
        setattr(referral, name, value)
    referral.updated_at = now
    clash = Referral.objects.filter(name=referral.name, street=referral.street,
                                    zip=referral.zip).exclude(pk=referral.pk)
    if clash.exists():
        raise InvalidInput("name", _("an entry with this name, street and ZIP already exists"))
    referral.save()
    return referral
