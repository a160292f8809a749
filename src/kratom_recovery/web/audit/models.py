"""Append-only, hash-chained audit log of access to patients' records.

Each entry carries plain copies of who (`actor_ref`) and whose record (`patient_ref`, a keyed
pseudonym) next to the foreign keys, and the hash covers only those immutable columns, so
deleting an account never has to touch an entry: the foreign keys are not database
constraints and are left as they are (docs/operations.md, "Audit log").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditManager(models.Manager["AuditEntry"]):
    """Every insert goes through the chain (audit/chain.py), so `create` and `bulk_create`
    from any app hash and link their entries."""

    def create(self, **kwargs: Any) -> AuditEntry:
        entry = AuditEntry(**kwargs)
        self.bulk_create([entry])
        return entry

    def bulk_create(self, objs: Iterable[AuditEntry], *args: Any,
                    **kwargs: Any) -> list[AuditEntry]:
        from kratom_recovery.web.audit.chain import append

        return append(list(objs))


class AuditEntry(models.Model):
    """Who did what to whose records, and when. Never updated or deleted (a database trigger
    refuses both on PostgreSQL)."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    # Not database constraints and DO_NOTHING: deleting an account must not UPDATE old rows.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.DO_NOTHING, related_name="+",
        db_constraint=False,
    )
    patient = models.ForeignKey(
        "patients.Patient", null=True, on_delete=models.DO_NOTHING,
        related_name="audit_entries", db_constraint=False,
    )
    action = models.CharField(max_length=16)  # "read" | "create" | "update" | "export" …
    target = models.CharField(max_length=64)  # what was touched, e.g. "chart", "checkin:42"
    via = models.CharField(max_length=8, default="web")  # web | api | cli
    actor_ref = models.CharField(max_length=24, default="")  # the actor's id; "" for no one
    patient_ref = models.CharField(max_length=32, default="")  # keyed pseudonym; "" = system
    chain_key = models.CharField(max_length=32, default="")  # patient_ref or "system"
    seq = models.PositiveBigIntegerField(default=0)  # position in its chain, from 1
    prev_hash = models.CharField(max_length=64, default="")
    hash = models.CharField(max_length=64, default="")

    objects = AuditManager()

    class Meta:
        ordering = ["-at", "-id"]
        # Serves "who looked at my record" (patient page) and the clinician audit view.
        indexes = [models.Index(fields=["patient", "-at"], name="audit_patient_at")]
        constraints = [models.UniqueConstraint(fields=["chain_key", "seq"],
                                               name="audit_chain_seq")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("audit entries are append-only")
        AuditEntry.objects.bulk_create([self])

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("audit entries are append-only")


class AuditChainHead(models.Model):
    """The last entry of one chain; locked while a new entry is appended to that chain, so
    writers for different patients never wait for each other."""

    chain_key = models.CharField(max_length=32, unique=True)
    last_hash = models.CharField(max_length=64, default="")
    count = models.PositiveBigIntegerField(default=0)
