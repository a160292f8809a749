"""Health probes for the operator, and the patient's own alert delivery state (polled by the
crisis card's small script; without JavaScript a reload shows the same)."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from kratom_recovery.web.accounts.decorators import AuthedRequest, patient_required
from kratom_recovery.web.common.polling import background_poll
from kratom_recovery.web.notify.health import delivery_health
from kratom_recovery.web.notify.state import patient_delivery
from kratom_recovery.web.patients.access import own_patient


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up and answering (no database call: a liveness probe)."""
    return JsonResponse({"ok": True})


def queue_reachable() -> bool:
    from huey.contrib.djhuey import HUEY

    try:
        HUEY.pending_count()
    except Exception:
        return False
    return True


@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready to serve and to deliver alerts: database and job queue reachable, the worker's
    heartbeat fresh, no urgent alert undelivered for five minutes. 503 otherwise. Says
    nothing about any person."""
    now = timezone.now()
    checks: dict[str, bool] = {"database": False, "queue": queue_reachable()}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = True
        health = delivery_health(now, with_failed=False)
        checks["worker_heartbeat"] = health.heartbeat_fresh
        checks["alerts_delivered"] = not health.undelivered_late
    except Exception:
        checks.setdefault("worker_heartbeat", False)
        checks.setdefault("alerts_delivered", False)
    ok = all(checks.values())
    return JsonResponse({"ok": ok, "checks": checks}, status=200 if ok else 503)


@background_poll
@patient_required
@require_GET
def my_alert_delivery(request: AuthedRequest) -> JsonResponse:
    """The signed-in patient's latest alert delivery state ({"state": null} when none)."""
    state = patient_delivery(own_patient(request.user), timezone.now())
    return JsonResponse(state.as_dict() if state else {"state": None})
