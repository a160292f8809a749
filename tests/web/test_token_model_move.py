"""ApiToken moved from the api app to accounts by migration state only: rows made before the
move keep working after it, and the move can be undone."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kratom_recovery.web.accounts.models import ApiToken
from kratom_recovery.web.accounts.tokens import user_for_token
from kratom_recovery.web.common.hashing import hash_secret

BEFORE = [("accounts", "0001_initial"), ("api", "0001_initial")]
MOVED = [("accounts", "0002_apitoken"), ("api", "0002_move_apitoken_to_accounts")]
TABLE = ApiToken._meta.db_table  # kept as "api_apitoken" by the move
PLAIN = "kr_made-before-the-move-0123456789abcdefghijklmnop"


def migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def latest() -> list[tuple[str, str]]:
    leaves: list[tuple[str, str]] = MigrationExecutor(connection).loader.graph.leaf_nodes()
    return leaves


@pytest.mark.django_db(transaction=True)
def test_tokens_made_before_the_move_still_authenticate() -> None:
    executor = migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user = old.get_model("accounts", "User").objects.create(username="before-move")
    old.get_model("api", "ApiToken").objects.create(
        user=user, name="phone", prefix=PLAIN[:11],
        token_hash=hashlib.sha256(PLAIN.encode()).hexdigest(),
    )
    migrate(latest())
    token = ApiToken.objects.get()
    assert (token.name, token.user.username) == ("phone", "before-move")
    assert token.token_hash == hash_secret(PLAIN)
    found = user_for_token(PLAIN)
    assert found is not None and found.username == "before-move"


def token_table() -> tuple[list[tuple[object, ...]], dict[str, object]]:
    """The token table as the database has it: its columns and its indexes and constraints."""
    introspection = connection.introspection
    with connection.cursor() as cursor:
        columns: list[tuple[object, ...]] = [
            (c.name, c.type_code, c.null_ok)
            for c in introspection.get_table_description(cursor, TABLE)]
        constraints: dict[str, object] = introspection.get_constraints(cursor, TABLE)
    return columns, constraints


@pytest.mark.django_db(transaction=True)
def test_the_move_changes_no_table() -> None:
    """The two move migrations touch no table: none added or dropped, and the token table
    keeps its name, columns and indexes. (Going back to BEFORE also unapplies other apps'
    later migrations, so only the step across the move itself is compared.)"""
    migrate(BEFORE)
    tables, shape = set(connection.introspection.table_names()), token_table()
    assert TABLE in tables and shape[0]
    migrate(MOVED)
    assert set(connection.introspection.table_names()) == tables
    assert token_table() == shape
    migrate(latest())
    assert TABLE in connection.introspection.table_names()
