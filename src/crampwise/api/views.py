"""The page where a person makes and revokes their personal access tokens (/settings/tokens/)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from crampwise.api.forms import TokenForm
from crampwise.api.models import AccessToken
from crampwise.api.tokens import create_token, revoke_token


@never_cache  # the page shows a new token once; no cache may keep a copy
@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    new_secret = None
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            token, new_secret = create_token(
                request.user, form.cleaned_data["name"], form.cleaned_data["scope"]
            )
            form = TokenForm()
    else:
        form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "new_secret": new_secret,
            "active_tokens": AccessToken.objects.filter(user=request.user, revoked_at__isnull=True),
            "revoked_tokens": AccessToken.objects.filter(
                user=request.user, revoked_at__isnull=False
            )[:20],
        },
    )


@login_required
@require_POST
def token_revoke(request, token_id):
    token = AccessToken.objects.filter(user=request.user, pk=token_id).first()
    if token is None:
        raise Http404("no such token")
    if revoke_token(request.user, token_id):
        messages.success(
            request,
            _("The token “%(name)s” was revoked. It no longer works.") % {"name": token.name},
        )
    return redirect("api_tokens")
