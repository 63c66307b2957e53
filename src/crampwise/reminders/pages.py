"""The reminders page (/settings/reminders/) and the calendar feed (/calendar/<token>.ics).

The page works without JavaScript for everything but turning on notifications, which only a
browser can do: static/reminders.js asks for permission when the button is pressed, never before.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crampwise.reminders import feeds, preferences
from crampwise.reminders.core.clock import evening_time, morning_time
from crampwise.reminders.delivery import mail_configured
from crampwise.reminders.forms import PauseForm, RemindersForm
from crampwise.reminders.models import CalendarFeed, PushSubscription


def page_context(request, *, form=None, pause_form=None, new_feed_url=None) -> dict:
    user = request.user
    stored = preferences.current(user)
    times = preferences.effective(user, stored)
    today = preferences.today_for(user)
    can_email = preferences.email_available(user)
    if form is None:
        form = RemindersForm(
            initial={
                "evening_enabled": stored.evening_enabled,
                "evening_time": stored.evening_time,
                "morning_enabled": stored.morning_enabled,
                "morning_time": stored.morning_time,
                "trial_milestones": stored.trial_milestones,
                "email_enabled": stored.email_enabled,
            },
            email_available=can_email,
        )
    return {
        "form": form,
        "pause_form": pause_form or PauseForm(today=today),
        "stored": stored,
        "paused": stored.paused_until is not None and stored.paused_until >= today,
        "evening": times.evening,
        "morning": times.morning,
        "evening_default": evening_time(None, user.profile.bedtime).time,
        "morning_default": morning_time(None, user.profile.wake_time).time,
        "profile": user.profile,
        "email_available": can_email,
        "mail_is_set_up": mail_configured(),
        "devices": PushSubscription.objects.filter(user=user),
        "feed": CalendarFeed.objects.filter(user=user).first(),
        "new_feed_url": new_feed_url,
    }


@never_cache  # a new calendar address is shown once; no cache may keep a copy
@login_required
@require_http_methods(["GET", "POST"])
def reminders_page(request):
    if request.method == "POST":
        form = RemindersForm(
            request.POST, email_available=preferences.email_available(request.user)
        )
        if form.is_valid():
            data = form.cleaned_data
            stored = preferences.current(request.user)
            preferences.save(
                request.user,
                preferences.Choice(
                    evening_enabled=data["evening_enabled"],
                    evening_time=data["evening_time"],
                    morning_enabled=data["morning_enabled"],
                    morning_time=data["morning_time"],
                    trial_milestones=data["trial_milestones"],
                    email_enabled=data.get("email_enabled", False),
                    paused_until=stored.paused_until,
                ),
            )
            messages.success(request, _("Your reminders are saved."))
            return redirect("reminders")
        return render(request, "reminders/settings.html", page_context(request, form=form))
    return render(request, "reminders/settings.html", page_context(request))


@login_required
@require_POST
def pause(request):
    form = PauseForm(request.POST, today=preferences.today_for(request.user))
    if not form.is_valid():
        return render(
            request, "reminders/settings.html", page_context(request, pause_form=form), status=422
        )
    until = form.cleaned_data["paused_until"]
    preferences.set_pause(request.user, until)
    messages.success(
        request,
        _("Reminders are paused until the end of %(date)s.")
        % {"date": date_format(until, "l j F Y")},
    )
    return redirect("reminders")


@login_required
@require_POST
def resume(request):
    preferences.set_pause(request.user, None)
    messages.success(request, _("Reminders are on again."))
    return redirect("reminders")


@login_required
@require_POST
def device_remove(request, subscription_id):
    deleted, _rows = PushSubscription.objects.filter(pk=subscription_id, user=request.user).delete()
    if not deleted:
        raise Http404("no such device")
    messages.success(request, _("That device will get no more reminders."))
    return redirect("reminders")


@never_cache
@login_required
@require_POST
def calendar_make(request):
    token = feeds.new_feed(request.user)
    url = request.build_absolute_uri(feeds.feed_path(token))
    return render(request, "reminders/settings.html", page_context(request, new_feed_url=url))


@login_required
@require_POST
def calendar_revoke(request):
    if feeds.revoke_feed(request.user):
        messages.success(request, _("The calendar address is turned off. It no longer works."))
    return redirect(reverse("reminders") + "#calendar")


@require_GET
def calendar_feed(request, token: str):
    """The feed itself: no login (a calendar app cannot log in); the secret token is the key."""
    user = feeds.owner_of(token)
    if user is None:
        raise Http404("no such calendar")
    body = feeds.calendar_for(user, request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="crampwise.ics"'
    # Only the person's own calendar app may keep it; no shared cache, no search engine.
    response["Cache-Control"] = "private, max-age=0"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
