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
PLAIN = "kr_made-before-the-move-0123456789abcdefghijklmnop"


def migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


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


@pytest.mark.django_db(transaction=True)
def test_the_move_changes_no_table() -> None:
    tables = set(connection.introspection.table_names())
    migrate(BEFORE)
    assert set(connection.introspection.table_names()) == tables
    migrate(latest())
    assert ApiToken._meta.db_table in tables
