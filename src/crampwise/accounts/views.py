from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from crampwise.accounts.data_export import account_zip
from crampwise.accounts.forms import DeleteAccountForm, ProfileForm


@login_required
def profile(request):
    profile = request.user.profile
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=profile)
        if form.is_valid():
            form.save()
            messages.success(request, _("Your profile is saved."))
            return redirect("profile")
    else:
        form = ProfileForm(instance=profile)
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def export_account(request):
    response = HttpResponse(account_zip(request.user), content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="crampwise-{timezone.localdate().isoformat()}.zip"'
    )
    return response


@login_required
def delete_account(request):
    if request.method == "POST":
        form = DeleteAccountForm(request.POST, user=request.user)
        if form.is_valid():
            user = request.user
            logout(request)
            # Every row that belongs to the person goes with the account (foreign keys cascade).
            user.delete()
            messages.success(request, _("Your account and all your diary entries are deleted."))
            return redirect("home")
    else:
        form = DeleteAccountForm(user=request.user)
    return render(request, "accounts/delete.html", {"form": form})
