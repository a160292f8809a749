"""The session backend: Django's ModelBackend, reading a patient's own record with the user.

Every signed-in page needs the patient row (the time zone middleware and `own_patient` use
it), so it comes in the same query as the user, and so does the program's second-factor
grace period, which the second-factor middleware reads on each staff request. Sign-in
itself is Django's; a failed one stops here instead of being tried again by the plain
ModelBackend, which stays listed only so that sessions made before this backend existed
remain valid.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet, Subquery
from django.http import HttpRequest

from kratom_recovery.web.accounts.models import AccountPolicy, User
from kratom_recovery.web.accounts.twofactor import GRACE_ANNOTATION, POLICY_ID
from kratom_recovery.web.common.prepared import Prepared


class SessionBackend(ModelBackend):
    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> User | None:
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            raise PermissionDenied  # not checked a second time by the next backend
        assert isinstance(user, User)
        return user

    def get_user(self, user_id: Any) -> User | None:
        user = (_SIGNED_IN.first(user_id) if type(user_id) is int else
                _signed_in(user_id).first())
        return user if user is not None and self.user_can_authenticate(user) else None


def _signed_in(user_id: Any) -> QuerySet[User]:
    policy = AccountPolicy.objects.filter(pk=POLICY_ID).values("two_factor_grace_days")
    return (User.objects.select_related("patient").filter(pk=user_id)
            .annotate(**{GRACE_ANNOTATION: Subquery(policy[:1])}))


# Compiled once (common/prepared.py): every signed-in request reads it.
_SIGNED_IN = Prepared(_signed_in)
