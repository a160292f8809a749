"""The token page: any signed-in user lists, creates and revokes their own API tokens."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.accounts import tokens
from kratom_recovery.web.accounts.models import ApiToken, User
from kratom_recovery.web.accounts.twofactor import is_verified
from kratom_recovery.web.common.forms import add_domain_error


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"), max_length=tokens.MAX_NAME,
        help_text=gettext_lazy("What will use it, e.g. “my phone app” or “clinic export”."),
    )


def signed_in(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    """GET lists tokens; POST creates one and shows it once (never stored in plain)."""
    user = signed_in(request)
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_token = tokens.create_token(
                user, form.cleaned_data["name"], verified=is_verified(request))
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            form = TokenForm()
    context = {
        "form": form,
        "new_token": new_token,
        "tokens": ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at"),
    }
    response = render(request, "api/tokens.html", context)
    if new_token:
        response["Cache-Control"] = "no-store"  # the one page that shows a secret
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=signed_in(request))
    tokens.revoke_token(token)
    messages.success(request, _("Token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api-tokens")
