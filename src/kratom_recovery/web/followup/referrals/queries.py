"""Search the program's referral directory by state, kind, service and distance from a ZIP.

ZIP centroids come from the `zipcodes` package, which ships its data: nothing is fetched at
run time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.followup.models import Referral

EARTH_RADIUS_MILES = 3958.8


def zip_centroid(zip_code: str) -> tuple[float, float] | None:
    import zipcodes  # ~0.3 s to load its embedded data: only when a ZIP is looked up

    try:
        found = zipcodes.matching(zip_code)  # type: ignore[no-untyped-call]
    except ValueError:
        return None
    if not found:
        return None
    return float(found[0]["lat"]), float(found[0]["long"])


def miles(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(min(1.0, h)))


@dataclass(frozen=True)
class Hit:
    referral: Referral
    distance: float | None


def search(
    *, state: str = "", zip_code: str = "", kind: str = "", service: str = "",
    radius: float = 100.0, limit: int = 50,
) -> list[Hit]:
    """Referrals matching the filters; nearest first when a ZIP is given."""
    found: QuerySet[Referral] = Referral.objects.all()
    if state:
        found = found.filter(state=state)
    if kind:
        found = found.filter(kind=kind)
    if not zip_code:
        rows = list(found) if service else list(found[:limit])
        if service:
            rows = [r for r in rows if service.lower() in {s.lower() for s in r.services}]
        return [Hit(r, None) for r in rows[:limit]]
    origin = zip_centroid(zip_code)
    if origin is None:
        raise InvalidInput("zip", _("this ZIP code is not in our list of US ZIP codes"))
    # A bounding box in SQL first (index referral_latlon), exact distance in Python after.
    dlat = radius / 69.0
    dlon = radius / max(1.0, 69.0 * math.cos(math.radians(origin[0])))
    near = found.filter(latitude__range=(origin[0] - dlat, origin[0] + dlat),
                        longitude__range=(origin[1] - dlon, origin[1] + dlon))
    hits = []
    for referral in near:
        if referral.latitude is None or referral.longitude is None:
            continue
        if service and service.lower() not in {s.lower() for s in referral.services}:
            continue
        distance = miles(origin, (referral.latitude, referral.longitude))
        if distance <= radius:
            hits.append(Hit(referral, round(distance, 1)))
    hits.sort(key=lambda h: (h.distance or 0.0, h.referral.name))
    return hits[:limit]
