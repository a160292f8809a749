"""The hash chains over audit entries: one per patient, one for entries with no patient.

An entry's hash is SHA-256 over a canonical serialisation of its immutable columns and the
previous entry's hash in the same chain, so an edited, removed or reordered entry breaks the
chain at that point. Appending locks only that chain's head row (`select_for_update` on
PostgreSQL), so writes for different patients never wait for each other.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from kratom_recovery.web.audit.models import AuditChainHead, AuditEntry

SYSTEM_CHAIN = "system"


def _ref_key() -> bytes:
    """RESEARCH_SALT if set, else a key derived from SECRET_KEY for this one purpose: a
    restore needs the same one for new entries to continue the same patients' chains."""
    return _derived_key(str(getattr(settings, "RESEARCH_SALT", "") or ""), settings.SECRET_KEY)


@functools.lru_cache(maxsize=4)
def _derived_key(salt: str, secret_key: str) -> bytes:
    """Cached by its inputs: a caseload page asks for a hundred references."""
    if salt:
        return salt.encode()
    return hmac.new(secret_key.encode(), b"kratom_recovery.audit.patient-ref",
                    hashlib.sha256).digest()


def patient_ref(patient_id: int) -> str:
    """The patient's audit pseudonym: stays on the entries after the account is deleted."""
    return hmac.new(_ref_key(), f"audit-patient:{patient_id}".encode(),
                    hashlib.sha256).hexdigest()[:32]


def _timestamp(at: datetime) -> str:
    if timezone.is_naive(at):
        at = timezone.make_aware(at, UTC)
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def digest(entry: AuditEntry) -> str:
    """SHA-256 over the entry's immutable columns, as compact JSON in a fixed order."""
    fields = [entry.chain_key, entry.seq, entry.prev_hash, _timestamp(entry.at),
              entry.actor_ref, entry.patient_ref, entry.action, entry.target, entry.via]
    text = json.dumps(fields, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(slots=True)
class _Head:
    """A chain's position while entries are appended to it."""

    count: int
    last_hash: str


def _lock_heads(keys: list[str]) -> dict[str, _Head]:
    """The heads of these chains, made when missing and locked, in one statement: an upsert
    that touches the row takes its lock on PostgreSQL (in key order, so no deadlocks);
    SQLite has one writer at a time anyway."""
    table = AuditChainHead._meta.db_table
    values = ", ".join(["(%s, '', 0)"] * len(keys))
    sql = (f"INSERT INTO {table} (chain_key, last_hash, count) VALUES {values} "
           "ON CONFLICT (chain_key) DO UPDATE SET chain_key = excluded.chain_key "
           "RETURNING chain_key, last_hash, count")
    with connection.cursor() as cursor:
        cursor.execute(sql, keys)
        rows = cursor.fetchall()
    return {key: _Head(count, last) for key, last, count in rows}


def append(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Fill in the plain references and chain columns, insert, and move the heads on; all in
    the caller's transaction (or a new one)."""
    if not entries:
        return []
    with transaction.atomic(savepoint=False):
        for entry in entries:
            entry.actor_ref = "" if entry.actor_id is None else str(entry.actor_id)
            if entry.patient_id is not None:
                entry.patient_ref = patient_ref(entry.patient_id)
            entry.chain_key = entry.patient_ref or SYSTEM_CHAIN
        heads = _lock_heads(sorted({entry.chain_key for entry in entries}))
        for entry in entries:
            head = heads[entry.chain_key]
            head.count += 1
            entry.seq = head.count
            entry.prev_hash = head.last_hash
            entry.hash = head.last_hash = digest(entry)
        _insert(entries)
        _move_heads(heads)
    return entries


def _insert(entries: list[AuditEntry]) -> None:
    """Insert the entries and give them their ids. Plain multi-row INSERTs, batched as the
    ORM's bulk_create batches them, without its per-value compilation: a caseload page
    appends a hundred entries."""
    fields = [f for f in AuditEntry._meta.concrete_fields if not f.primary_key]
    dated = {f for f in fields if isinstance(f, models.DateTimeField)}  # the rest go as they are
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    size = connection.ops.bulk_batch_size(fields, entries) or len(entries)
    with connection.cursor() as cursor:
        for first in range(0, len(entries), size):
            batch = entries[first:first + size]
            params = [f.get_db_prep_save(getattr(e, f.attname), connection) if f in dated
                      else getattr(e, f.attname) for e in batch for f in fields]
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES "
                           f"{', '.join([row] * len(batch))} RETURNING id", params)
            # RETURNING gives the rows in insertion order on SQLite and PostgreSQL alike
            # for a single VALUES list, which is what Django's bulk_create relies on too.
            for entry, (pk,) in zip(batch, cursor.fetchall(), strict=True):
                entry.pk = pk
                entry._state.adding = False
                entry._state.db = connection.alias


def _move_heads(heads: dict[str, _Head]) -> None:
    """Write the heads' new positions in one statement. An upsert on rows `_lock_heads` has
    just made or locked, rather than the ORM's `bulk_update`, whose CASE per row cost more
    than the page it audited (a caseload page moves a hundred heads)."""
    table = AuditChainHead._meta.db_table
    values = ", ".join(["(%s, %s, %s)"] * len(heads))
    sql = (f"INSERT INTO {table} (chain_key, last_hash, count) VALUES {values} "
           "ON CONFLICT (chain_key) DO UPDATE SET last_hash = excluded.last_hash, "
           "count = excluded.count")
    params: list[str | int] = []
    for key, head in heads.items():
        params += [key, head.last_hash, head.count]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@dataclass(frozen=True)
class Break:
    """The first place a chain does not hold."""

    chain_key: str
    entry_id: int | None
    seq: int
    reason: str

    def describe(self) -> str:
        where = f"entry {self.entry_id}" if self.entry_id is not None else "chain head"
        return f"{where} (chain {self.chain_key}, position {self.seq}): {self.reason}"


def _check_chains() -> Iterator[Break]:
    heads = {h.chain_key: h for h in AuditChainHead.objects.all()}
    seen: dict[str, tuple[int, str]] = {}
    entries = AuditEntry.objects.order_by("chain_key", "seq").iterator(chunk_size=2000)
    for entry in entries:
        count, last = seen.get(entry.chain_key, (0, ""))
        if entry.chain_key != (entry.patient_ref or SYSTEM_CHAIN):
            yield Break(entry.chain_key, entry.pk, entry.seq, "in the wrong chain")
        elif entry.seq != count + 1:
            yield Break(entry.chain_key, entry.pk, entry.seq,
                        f"expected position {count + 1}: an entry is missing")
        elif entry.prev_hash != last:
            yield Break(entry.chain_key, entry.pk, entry.seq,
                        "does not link to the previous entry")
        elif entry.hash != digest(entry):
            yield Break(entry.chain_key, entry.pk, entry.seq, "content does not match its hash")
        seen[entry.chain_key] = (entry.seq, entry.hash)
    for key in sorted(heads.keys() | seen.keys()):
        head = heads.get(key)
        count, last = seen.get(key, (0, ""))
        if head is None:
            yield Break(key, None, count, "no chain head")
        elif (head.count, head.last_hash) != (count, last):
            yield Break(key, None, head.count,
                        f"head says {head.count} entries, found {count}: entries were removed")


def verify() -> tuple[int, Break | None]:
    """(entries checked, the first break or None when every chain holds)."""
    first = next(_check_chains(), None)
    return AuditEntry.objects.count(), first
