"""Personal trials in the web app: creating, following, stopping and answering a trial.

Thin glue between the stored ``Trial`` and the pure core: the schedule comes from
``trials.design`` (rebuilt from the stored seed), the counts from the diary
(``diary.services.load_nights``), the answer from ``trials.analysis``, the looks from
``trials.stopping`` and the report from ``trials.report``. Nothing here changes what the core
computes; it only chooses the nights, the words and the picture.

Functions other parts of the site call: ``tonight_for`` (the home page), ``adherence_form`` and
``save_adherence`` (the morning check-in).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from crampwise import prepared_sql
from crampwise.diary.models import Medicine
from crampwise.diary.nights import night_of
from crampwise.diary.records import NightRecord
from crampwise.diary.services import load_nights
from crampwise.guidance.medicines import match_medicine, takes_quinine
from crampwise.knowledge import get_remedy, trialable_remedies
from crampwise.knowledge.records import Remedy

from . import power, wording
from .analysis import NotEnoughNights, TrialAnalysis, analyze, baseline_from_run_in
from .design import (
    KIND_DEFAULTS,
    Arm,
    RemedyKind,
    ScheduledNight,
    TrialDesign,
    assignment_for,
    block_end,
    blocks_complete,
    build_schedule,
    new_seed,
)
from .models import OWN_REMEDY, Adherence, Trial
from .observations import TrialNight, nights_from_diary, tally
from .report import trial_report
from .stopping import DEFAULT_RULE, Decision, Look, interim_look

QUININE = "quinine"
BASELINE_WEEKS = 8
# Three weeks of answers in the last eight give a rate worth planning with; fewer, and the first
# week of the trial is a run-in that measures it.
MIN_BASELINE_NIGHTS = 21
RUN_IN_NIGHTS = 7
MAX_WEEKS = 52
# The power table covers 1 to 14 cramps a week; outside it the core would simulate for seconds.
TABLE_RATES = (1.0, 14.0)
DEFAULT_HOPED_RATIO = 0.5
DEFAULT_THRESHOLD = 0.8


class TrialError(ValueError):
    """A trial that may not be created as asked (the message is for the person)."""


# ---- the catalogue ------------------------------------------------------------------------


@dataclass(frozen=True)
class RemedyWords:
    """How a remedy is named in sentences and what each kind of night asks."""

    noun: str  # "82% likely that <noun> cuts your cramps by at least 20%."
    remedy_plan: str  # lower-case first letter: it follows "Tonight: "
    control_plan: str
    daytime: bool = False  # done during the day that ends in the night ("Today: ...")


# Plain words for the remedies of the evidence base, by id. A remedy added to the data later
# without words here still works, with the general words of ``remedy_words``.
REMEDY_WORDS: dict[str, RemedyWords] = {
    "stretching": RemedyWords(
        gettext_lazy("stretching"),
        gettext_lazy("stretch your calves before bed"),
        gettext_lazy("no stretching before bed"),
    ),
    "fluids": RemedyWords(
        gettext_lazy("drinking more"),
        gettext_lazy("drink your set extra amount"),
        gettext_lazy("drink as usual"),
        daytime=True,
    ),
    "supportive_shoes": RemedyWords(
        gettext_lazy("wearing supportive shoes"),
        gettext_lazy("wear your supportive shoes"),
        gettext_lazy("wear your usual shoes"),
        daytime=True,
    ),
    "evening_walk": RemedyWords(
        gettext_lazy("a daily walk"),
        gettext_lazy("take your walk"),
        gettext_lazy("no extra walk"),
        daytime=True,
    ),
    "magnesium": RemedyWords(
        gettext_lazy("magnesium"), gettext_lazy("take your magnesium"), gettext_lazy("no magnesium")
    ),
    "vitamin_b_complex": RemedyWords(
        gettext_lazy("vitamin B complex"),
        gettext_lazy("take your vitamin B complex"),
        gettext_lazy("no vitamin B complex"),
    ),
    "vitamin_k2": RemedyWords(
        gettext_lazy("vitamin K2"), gettext_lazy("take your vitamin K2"), gettext_lazy("no vitamin K2")
    ),
    "calcium_channel_blockers": RemedyWords(
        gettext_lazy("the medicine"),
        gettext_lazy("take the medicine as your doctor agreed"),
        gettext_lazy("no medicine, as your doctor agreed"),
    ),
    "medicine_change": RemedyWords(
        gettext_lazy("the medicine change"),
        gettext_lazy("follow the new medicine plan your doctor agreed"),
        gettext_lazy("take your medicines as before"),
    ),
}


def catalogue() -> tuple[Remedy, ...]:
    """Remedies the wizard offers. Quinine is never among them, whatever the data says."""
    return tuple(r for r in trialable_remedies() if r.id != QUININE)


def offered_remedy(remedy_id: str) -> Remedy | None:
    """The evidence-base remedy for this id if the wizard offers it; None for an own remedy.

    Raises ``LookupError`` for quinine, for remedies that are not trialable and for unknown ids.
    """
    if remedy_id == OWN_REMEDY:
        return None
    for remedy in catalogue():
        if remedy.id == remedy_id:
            return remedy
    raise LookupError(remedy_id)


def remedy_words(trial_or_id: Trial | str) -> RemedyWords:
    """The words for a trial (an own remedy's come from its label) or for an evidence-base id."""
    remedy_id = trial_or_id.remedy_id if isinstance(trial_or_id, Trial) else trial_or_id
    label = trial_or_id.remedy_label if isinstance(trial_or_id, Trial) else ""
    if remedy_id in REMEDY_WORDS:
        return REMEDY_WORDS[remedy_id]
    if remedy_id != OWN_REMEDY:
        try:
            name = _(get_remedy(remedy_id).name)
        except KeyError:
            name = remedy_id
        label = name[:1].lower() + name[1:]
    return RemedyWords(
        noun=label,
        remedy_plan=_("use your remedy (%(label)s)") % {"label": label},
        control_plan=_("skip your remedy (%(label)s)") % {"label": label},
    )


def remedy_name(trial: Trial) -> str:
    """The remedy's name as a title: the evidence base's name, or the person's own."""
    if trial.remedy_id == OWN_REMEDY:
        return trial.remedy_label
    try:
        return _(get_remedy(trial.remedy_id).name)
    except KeyError:
        return trial.remedy_label or trial.remedy_id


def kind_timing(kind: str) -> tuple[int, int]:
    """(default period nights, washout nights) for a kind; a medicine change uses the slow timing."""
    defaults = KIND_DEFAULTS[power_kind(kind)]
    return defaults.period_nights, defaults.washout_nights


def power_kind(kind: str) -> RemedyKind:
    # A medicine is started and stopped over days, as a supplement is: the same two-week periods.
    return RemedyKind.SUPPLEMENT if kind == Trial.Kind.MEDICINE else RemedyKind(kind)


def can_be_blinded(kind: str) -> bool:
    """Only pills can be hidden (look-alike dummy capsules); nobody can stretch without knowing."""
    return kind in (Trial.Kind.SUPPLEMENT, Trial.Kind.MEDICINE)


def own_label_problem(label: str) -> str | None:
    """Why an own remedy with this name cannot be a home trial, or None when it can."""
    match = match_medicine(label)
    if takes_quinine([match]):
        return _("Quinine is never a home trial in crampwise. Only a doctor can weigh up its risks for you.")
    if any(ingredient.class_id != "supplement" for ingredient in match.ingredients):
        return _(
            "This looks like a prescription medicine. Never start or stop one on your own. Choose "
            "“Changing a medicine” instead, and agree the plan with your doctor."
        )
    return None


# ---- nights ------------------------------------------------------------------------------


def plan_night(user, now: datetime | None = None) -> date:
    """The night whose plan matters now: today's evening from waking up on, before that the night
    still going on. (The diary's own boundary, noon, is about where a logged cramp belongs; a plan
    for the day, such as shoes, must show from the morning.)"""
    profile = user.profile
    boundary = min(profile.wake_time, profile.day_boundary)
    return night_of(now or timezone.now(), profile.zone, boundary)


def last_night_over(user, now: datetime | None = None) -> date:
    """The latest night that has ended (its morning has come), in the person's own time."""
    profile = user.profile
    now = now or timezone.now()
    boundary = min(profile.wake_time, profile.day_boundary)
    return night_of(now, profile.zone, boundary) - timedelta(days=1)


def trial_for_night(user, night: date) -> Trial | None:
    """The person's trial that this night belongs to (at most one: only one trial runs at a time)."""
    # Read with prepared SQL: the morning check-in asks this for every night it saves.
    for trial in prepared_sql.fetch(Trial, owner=user, start__lte=night, order_by=("-start", "-created")):
        if night <= trial.end:
            return trial
    return None


def refresh_status(trial: Trial, now: datetime | None = None) -> Trial:
    """Mark a running trial finished once its last planned night is over."""
    if trial.is_active and last_night_over(trial.owner, now) >= trial.design().end:
        trial.status = Trial.Status.FINISHED
        trial.save(update_fields=["status"])
    return trial


def bare_plan(trial: Trial, scheduled: ScheduledNight) -> str:
    """The night's plan without "Tonight:" ("stretch your calves before bed"), for questions."""
    if scheduled.arm is Arm.BASELINE:
        return _("keep your diary as usual")
    if trial.blinded:
        # The person must not know the arm; a helper packed the capsules period by period.
        return _("take a capsule from pack %(pack)s") % {"pack": scheduled.period + 1}
    words = remedy_words(trial)
    return str(words.remedy_plan if scheduled.arm is Arm.TREATMENT else words.control_plan)


def plan_words(trial: Trial, scheduled: ScheduledNight) -> str:
    """What the night asks, in plain words: "Tonight: stretch your calves before bed"."""
    if scheduled.arm is Arm.BASELINE:
        return _("Run-in: keep your diary as usual. Do not change anything yet.")
    plan = bare_plan(trial, scheduled)
    if remedy_words(trial).daytime and not trial.blinded:
        return _("Today: %(plan)s") % {"plan": plan}
    return _("Tonight: %(plan)s") % {"plan": plan}


def night_note(trial: Trial, scheduled: ScheduledNight) -> str:
    if scheduled.arm is Arm.BASELINE:
        first = trial.start + timedelta(days=trial.run_in_nights)
        return _("This run-in week measures how often you get cramps. The plan starts on %(date)s.") % {
            "date": date_format(first, "D j M")
        }
    if scheduled.washout:
        return _(
            "Follow the plan, but this night is not counted: the last period may still act on it."
        )
    return ""


def tonight_for(user, night: date | None = None) -> dict[str, Any] | None:
    """The trial plan of a night (default: ``plan_night``), or None when no trial covers it.

    Keys: ``trial``, ``night``, ``arm`` ("baseline", "control" or "treatment"), ``words``
    (e.g. "Tonight: stretch your calves before bed"), ``plan`` (the same without "Tonight:"),
    ``note`` (run-in or washout, else ""),
    ``run_in``, ``washout``, ``url`` (the trial page).
    """
    night = night or plan_night(user)
    trial = trial_for_night(user, night)
    if trial is None:
        return None
    scheduled = assignment_for(trial.design(), night)
    if scheduled is None:
        return None
    return {
        "trial": trial,
        "night": night,
        "arm": str(scheduled.arm),
        "words": plan_words(trial, scheduled),
        "plan": bare_plan(trial, scheduled),
        "note": night_note(trial, scheduled),
        "run_in": scheduled.arm is Arm.BASELINE,
        "washout": scheduled.washout,
        "url": reverse("trial_detail", args=[trial.pk]),
    }


# ---- adherence ---------------------------------------------------------------------------


def adherence_question(user, night: date) -> tuple[Trial, str] | None:
    """(trial, that night's plan) when the night asks "did you follow it?"; run-in nights do not."""
    plan = tonight_for(user, night)
    if plan is None or plan["run_in"]:
        return None
    return plan["trial"], plan["plan"]


def adherence_form(user, night: date, data=None):
    """The check-in's extra question for a trial night, or None (prefix "trial")."""
    from .forms import AdherenceForm  # noqa: PLC0415 - forms import this module's constants

    question = adherence_question(user, night)
    if question is None:
        return None
    trial, words = question
    stored = Adherence.objects.filter(trial=trial, night=night).values_list("followed", flat=True).first()
    initial = {} if stored is None else {"followed": "yes" if stored else "no"}
    return AdherenceForm(data, plan=words, initial=initial, prefix="trial")


def save_adherence(user, night: date, value: bool | None) -> Adherence | None:
    """Record whether the night's plan was followed. None (no answer) stores nothing."""
    if value is None:
        return None
    question = adherence_question(user, night)
    if question is None:
        return None
    trial, _words = question
    answer, _created = Adherence.objects.update_or_create(
        trial=trial, night=night, defaults={"followed": bool(value)}
    )
    return answer


def adherence_map(trial: Trial) -> dict[date, bool]:
    return dict(trial.adherence.values_list("night", "followed"))


# ---- the wizard: baseline and length ----------------------------------------------------------


@dataclass(frozen=True)
class Baseline:
    """The diary's cramp rate over the weeks before a trial."""

    first: date
    last: date
    nights: int  # recorded nights in the window
    cramps: int

    @property
    def enough(self) -> bool:
        return self.nights >= MIN_BASELINE_NIGHTS

    @property
    def per_week(self) -> float | None:
        return 7 * self.cramps / self.nights if self.nights else None


def diary_baseline(user, before: date) -> Baseline:
    """Cramps a week over the recorded nights of the eight weeks before ``before``."""
    first = before - timedelta(weeks=BASELINE_WEEKS)
    last = before - timedelta(days=1)
    recorded = [r for r in load_nights(user, start=first, end=last) if r.cramps is not None]
    return Baseline(first, last, len(recorded), sum(r.cramps for r in recorded))


def baseline_sentence(baseline: Baseline) -> str:
    if not baseline.enough:
        return ngettext(
            "You recorded %(nights)s night in the last 8 weeks. That is too few to know how often "
            "you get cramps. So the trial starts with a run-in week. Keep your diary as usual, and "
            "it will measure that.",
            "You recorded %(nights)s nights in the last 8 weeks. That is too few to know how often "
            "you get cramps. So the trial starts with a run-in week. Keep your diary as usual, and "
            "it will measure that.",
            baseline.nights,
        ) % {"nights": baseline.nights}
    return _(
        "In the last 8 weeks you recorded %(nights)s nights, with %(cramps)s cramps: about "
        "%(rate)s a week."
    ) % {"nights": baseline.nights, "cramps": baseline.cramps, "rate": _rate(baseline.per_week or 0)}


def _rate(per_week: float) -> str:
    return f"{round(per_week):d}" if per_week >= 2 else f"{round(per_week, 1):g}"


def length_sentences(per_week: float | None, hoped_ratio: float, kind: str, noun: str) -> list[str]:
    """How long the trial needs, honestly (``power.recommend_weeks``), for this rate and hope."""
    pk = power_kind(kind)
    if per_week is None:
        return [
            _("Until the run-in has measured your cramps, here is a guide:"),
            *(power.recommend_weeks(rate, hoped_ratio, kind=pk, remedy=noun).sentence for rate in (3, 7)),
        ]
    if per_week == 0:
        return [
            _(
                "You had no cramps on the nights you recorded. A trial can only show a cut in cramps "
                "you still get."
            )
        ]
    low, high = TABLE_RATES
    if per_week < low:
        advice = power.recommend_weeks(low, hoped_ratio, kind=pk, remedy=noun)
        if advice.weeks is None:
            return [
                _(
                    "With fewer than 1 cramp a week, even a year is unlikely to give a clear answer. "
                    "A trial only makes sense if you get cramps more often."
                )
            ]
        return [
            _("With fewer than 1 cramp a week, it takes more than %(weeks)s weeks to have a 4 in 5 "
              "chance of a clear answer.") % {"weeks": f"{advice.weeks:g}"}
        ]
    if per_week > high:
        advice = power.recommend_weeks(high, hoped_ratio, kind=pk, remedy=noun)
        if advice.weeks is None:
            return [
                _(
                    "Even with more than 14 cramps a week, a year may not be enough to show a cut "
                    "this small. A trial only makes sense if you expect a bigger change."
                )
            ]
        return [
            _("With more than 14 cramps a week, %(weeks)s weeks or less gives a 4 in 5 chance of a "
              "clear answer.") % {"weeks": f"{advice.weeks:g}"}
        ]
    return [power.recommend_weeks(per_week, hoped_ratio, kind=pk, remedy=noun).sentence]


def recommended_pairs(per_week: float | None, hoped_ratio: float, kind: str, period_nights: int) -> int:
    """The pairs the wizard suggests: the recommended length in this period length, else the default."""
    pk = power_kind(kind)
    fallback = KIND_DEFAULTS[pk].pairs * KIND_DEFAULTS[pk].period_nights // period_nights
    if per_week is None or per_week <= 0:
        return max(2, fallback)
    rate = min(max(per_week, TABLE_RATES[0]), TABLE_RATES[1])
    advice = power.recommend_weeks(rate, hoped_ratio, kind=pk)
    if advice.weeks is None:
        return max(2, fallback)
    return max(2, math.ceil(advice.weeks * 7 / (2 * period_nights)))


def chosen_length_sentence(
    per_week: float | None, hoped_ratio: float, period_nights: int, washout_nights: int, pairs: int
) -> str | None:
    """The chance of a clear answer with the length the person chose, when the table knows it."""
    weeks = 2 * pairs * period_nights / 7
    if per_week is None or not TABLE_RATES[0] <= per_week <= TABLE_RATES[1]:
        return None
    chances = power.table_chances(period_nights, washout_nights, per_week, hoped_ratio)
    if not chances or len(chances) < pairs:
        return None
    return _(
        "With the length you chose, %(weeks)s weeks, the chance of a clear answer is about %(chance)s."
    ) % {"weeks": f"{weeks:g}", "chance": power.chance_words(chances[pairs - 1])}


# ---- creating and stopping ---------------------------------------------------------------


def create_trial(
    user,
    *,
    remedy_id: str,
    kind: str,
    start: date,
    pairs: int,
    period_nights: int,
    washout_nights: int,
    run_in_nights: int = 0,
    label: str = "",
    threshold: float = DEFAULT_THRESHOLD,
    hoped_ratio: float = DEFAULT_HOPED_RATIO,
    baseline_per_week: float | None = None,
    blinded: bool = False,
    prescriber_agreed: bool = False,
    seed: int | None = None,
) -> Trial:
    """Store a new trial; the same rules as the wizard, so no other caller can skip them."""
    try:
        remedy = offered_remedy(remedy_id)
    except LookupError:
        raise TrialError(_("This remedy cannot be a home trial.")) from None
    if remedy is None:
        label = label.strip()
        if not label:
            raise TrialError(_("Give your remedy a name."))
        problem = own_label_problem(label)
        if problem:
            raise TrialError(problem)
        if kind not in (Trial.Kind.BEHAVIOUR, Trial.Kind.SUPPLEMENT):
            raise TrialError(_("An own remedy is something you do or something you take."))
    else:
        kind = remedy.trial_kind or kind
        label = ""
        if remedy.needs_prescriber_agreement and not prescriber_agreed:
            raise TrialError(_("This trial needs your doctor's agreement first."))
    if blinded and not can_be_blinded(kind):
        raise TrialError(_("Only a trial of capsules can be hidden from you."))
    if not 0 < threshold <= 1:
        raise TrialError(_("The threshold must be a cut between 0% and 100%."))
    seed = new_seed() if seed is None else seed
    # Building the design checks the shape (washout shorter than a period, at least one pair).
    TrialDesign(start=start, seed=seed, pairs=pairs, period_nights=period_nights,
                washout_nights=washout_nights, run_in_nights=run_in_nights)  # fmt: skip
    try:
        with transaction.atomic():
            return Trial.objects.create(
                owner=user, remedy_id=remedy_id, remedy_label=label, kind=kind, seed=seed,
                start=start, period_nights=period_nights, washout_nights=washout_nights,
                run_in_nights=run_in_nights, pairs=pairs, threshold=threshold,
                hoped_ratio=hoped_ratio, baseline_per_week=baseline_per_week, blinded=blinded,
                prescriber_agreed=bool(remedy is not None and remedy.needs_prescriber_agreement
                                       and prescriber_agreed),
            )  # fmt: skip
    except IntegrityError:
        raise TrialError(_("You already have a trial running. Stop it before you start another.")) from None


def active_trial(user) -> Trial | None:
    trial = Trial.objects.filter(owner=user, status=Trial.Status.ACTIVE).first()
    if trial is not None:
        refresh_status(trial)
        if not trial.is_active:
            return None
    return trial


def stop_trial(trial: Trial, *, reason: str, note: str = "", now: datetime | None = None) -> Trial:
    """Stop a running trial. Nights from tonight on are plain diary nights again."""
    now = now or timezone.now()
    trial.status = Trial.Status.STOPPED
    trial.stopped_at = now
    trial.stop_reason = reason
    trial.stop_note = note.strip()
    trial.last_trial_night = min(last_night_over(trial.owner, now), trial.design().end)
    trial.save(update_fields=["status", "stopped_at", "stop_reason", "stop_note", "last_trial_night"])
    return trial


# ---- the answer --------------------------------------------------------------------------


@dataclass
class Evaluation:
    """Everything the trial page and the report show, computed once per request."""

    trial: Trial
    design: TrialDesign
    over: date  # the last night counted so far
    nights: list[TrialNight]
    run_in: list[NightRecord]
    baseline_per_night: float | None
    analysis: TrialAnalysis | None
    looks: list[Look]
    adherence: dict[date, bool]
    report: dict[str, Any] = field(default_factory=dict)
    report_looks: list[Look] = field(default_factory=list)

    def pending_look(self) -> Look | None:
        """The latest look of a running trial when it says "stop": the person has yet to decide."""
        if self.trial.is_active and self.looks and self.looks[-1].decision is not Decision.CONTINUE:
            return self.looks[-1]
        return None

    def looks_gone_past(self) -> list[Look]:
        """Looks that said "stop" while the person went on (the report lists them in words)."""
        listed = {look.blocks_complete for look in self.report_looks}
        pending = self.pending_look()
        return [
            look for look in self.looks
            if look.decision is not Decision.CONTINUE and look.blocks_complete not in listed
            and look is not pending
        ]  # fmt: skip


def evaluate(trial: Trial) -> Evaluation:
    """Join the schedule with the diary and analyse the nights that have ended."""
    design = trial.design()
    over = min(last_night_over(trial.owner), trial.end)
    records = load_nights(trial.owner, start=trial.start - timedelta(weeks=BASELINE_WEEKS), end=over)
    nights, run_in = nights_from_diary(build_schedule(design), records, until=over)
    # The prior's centre: the run-in when there is one, else the diary weeks before the trial.
    before = [r for r in records if r.night < trial.start]
    baseline = baseline_from_run_in(run_in if trial.run_in_nights else before)
    analysis = _analyze(nights, trial.threshold, baseline)
    looks = []
    for block in range(DEFAULT_RULE.first_look_block, blocks_complete(design, over) + 1):
        try:
            looks.append(interim_look(design, nights, block, threshold=trial.threshold,
                                      baseline_per_night=baseline))  # fmt: skip
        except NotEnoughNights:
            continue  # no recorded night on one arm yet: nothing to look at
    adherence = adherence_map(trial)
    evaluation = Evaluation(trial, design, over, nights, run_in, baseline, analysis, looks, adherence)
    evaluation.report_looks = report_looks(trial, looks)
    evaluation.report = trial_report(
        design, nights, analysis, remedy=remedy_words(trial).noun, remedy_kind=power_kind(trial.kind),
        comparator=_("Nights without %(remedy)s") % {"remedy": remedy_words(trial).noun},
        blinded=trial.blinded, diagnosis=_("Night-time leg cramps, as recorded in the diary"),
        concurrent_treatments=_concurrent_medicines(trial), adherence=adherence,
        looks=evaluation.report_looks, how_length_was_chosen=how_length_was_chosen(trial),
        harms=[trial.stop_note] if trial.stop_reason == Trial.StopReason.SIDE_EFFECTS and trial.stop_note else [],
    )  # fmt: skip
    return evaluation


def _analyze(nights: list[TrialNight], threshold: float, baseline: float | None) -> TrialAnalysis | None:
    try:
        return analyze(nights, threshold=threshold, baseline_per_night=baseline)
    except NotEnoughNights:
        return None


def report_looks(trial: Trial, looks: list[Look]) -> list[Look]:
    """The looks the report lists: up to the one that ended the trial.

    The report reads any look that said "stop" as the reason the trial stopped. When the person
    went on after such a look, listing it would misreport the trial, so only the looks that said
    "go on" are given, and the page says in words which looks the person went past.
    """
    if trial.status == Trial.Status.STOPPED and trial.stop_reason == Trial.StopReason.ANSWER_CLEAR:
        for i, look in enumerate(looks):
            if look.decision is not Decision.CONTINUE:
                return looks[: i + 1]
    return [look for look in looks if look.decision is Decision.CONTINUE]


def _concurrent_medicines(trial: Trial) -> list[str]:
    rows = Medicine.objects.filter(user=trial.owner).only("name", "stopped")
    return list(dict.fromkeys(m.name for m in rows if m.stopped is None or m.stopped >= trial.start))


def how_length_was_chosen(trial: Trial) -> str:
    words = remedy_words(trial)
    sentences = length_sentences(trial.baseline_per_week, trial.hoped_ratio, trial.kind, words.noun)
    weeks = 2 * trial.pairs * trial.period_nights / 7
    sentences.append(
        _("The person chose %(pairs)s pairs of %(nights)s-night periods: %(weeks)s weeks.")
        % {"pairs": trial.pairs, "nights": trial.period_nights, "weeks": f"{weeks:g}"}
    )
    return " ".join(sentences)


# ---- words for the page ------------------------------------------------------------------


def percent(probability: float) -> str:
    return wording.percent_words(probability)


def ratio_text(value: float) -> str:
    return f"{value:.2f}"


def look_sentence(look: Look, noun: str, *, running: bool = True) -> str:
    """What a look says; "you may stop" only while the trial is still running."""
    values = {"pair": look.blocks_complete, "remedy": noun}
    if look.decision is Decision.EFFICACY:
        sentence = _(
            "After pair %(pair)s the answer is already clear: %(remedy)s very likely cuts your cramps."
        ) % values
    elif look.decision is Decision.FUTILITY:
        sentence = _(
            "After pair %(pair)s the answer is already clear: a useful cut, of 20%% or more, has "
            "become unlikely."
        ) % values
    else:
        return _("After pair %(pair)s the answer is not clear yet. More pairs are needed.") % values
    if running:
        sentence = " ".join((sentence, _("You may stop the trial.")))
    return sentence


def next_look_sentence(evaluation: Evaluation) -> str | None:
    trial, design = evaluation.trial, evaluation.design
    if not trial.is_active:
        return None
    done = blocks_complete(design, evaluation.over)
    upcoming = max(done + 1, DEFAULT_RULE.first_look_block)
    if upcoming > design.pairs:
        return None
    morning = block_end(design, upcoming - 1) + timedelta(days=1)
    return _("The next look is after pair %(pair)s, on the morning of %(date)s.") % {
        "pair": upcoming,
        "date": date_format(morning, "l j F"),
    }


def pain_sentences(analysis: TrialAnalysis, noun: str) -> list[str]:
    pain = analysis.pain
    if pain is None:
        return [
            _(
                "There is no answer about pain yet. It needs at least two nights with a cramp and a "
                "pain score on each kind of night."
            )
        ]
    low, high = pain.ci95
    return [
        _(
            "On nights with a cramp, the worst pain was %(treated)s out of 10 on average with "
            "%(remedy)s, and %(control)s without it."
        ) % {"treated": f"{pain.mean_treatment:.1f}", "control": f"{pain.mean_control:.1f}", "remedy": noun},
        _("%(chance)s likely that cramps hurt less with %(remedy)s.")
        % {"chance": percent(pain.p_lower), "remedy": noun},
        _("The true change in pain is likely between %(low)s and %(high)s.")
        % {"low": _points(low), "high": _points(high)},
    ]


def _points(change: float) -> str:
    """-1.3 -> "1.3 points less"; pain is on a 0-10 scale, so a signed number is easy to misread."""
    if round(change, 1) == 0:
        return _("no change")
    if change < 0:
        return _("%(points).1f points less") % {"points": -change}
    return _("%(points).1f points more") % {"points": change}


def arm_label(arm: str, noun: str) -> str:
    if arm == Arm.TREATMENT:
        return _("With %(remedy)s") % {"remedy": noun}
    if arm == Arm.CONTROL:
        return _("Without %(remedy)s") % {"remedy": noun}
    return _("Run-in")


def hide_arms(trial: Trial) -> bool:
    """A blinded trial keeps its arms hidden from the person until it is over."""
    return trial.blinded and trial.is_active


def schedule_rows(evaluation: Evaluation) -> list[dict[str, Any]]:
    """The report's period rows, with words, dates and the current period marked."""
    trial, noun = evaluation.trial, remedy_words(evaluation.trial).noun
    today = plan_night(trial.owner)
    rows = []
    for row in evaluation.report["schedule"]:
        first = date.fromisoformat(row["first_night"])
        last = date.fromisoformat(row["last_night"])
        washout_last = first + timedelta(days=trial.washout_nights - 1)
        rows.append({
            **row,
            "first": first,
            "last": last,
            "plan": (_("Pack %(pack)s") % {"pack": row["period"]}) if hide_arms(trial)
            else arm_label(row["arm"], noun),
            "treated": row["arm"] == Arm.TREATMENT and not hide_arms(trial),
            "washout_first": first if trial.washout_nights else None,
            "washout_last": washout_last if trial.washout_nights else None,
            "current": first <= today <= last and trial.is_active,
            "past": last <= evaluation.over,
        })  # fmt: skip
    return rows


def run_in_dates(trial: Trial) -> tuple[date, date] | None:
    if not trial.run_in_nights:
        return None
    return trial.start, trial.start + timedelta(days=trial.run_in_nights - 1)


def upcoming_nights(trial: Trial, count: int = 7) -> list[dict[str, Any]]:
    if not trial.is_active:
        return []
    design, first = trial.design(), plan_night(trial.owner)
    rows = []
    for offset in range(count):
        night = first + timedelta(days=offset)
        scheduled = assignment_for(design, night)
        if scheduled is None:
            break
        rows.append({"night": night, "words": plan_words(trial, scheduled), "washout": scheduled.washout,
                     "run_in": scheduled.arm is Arm.BASELINE})  # fmt: skip
    return rows


def progress(evaluation: Evaluation) -> dict[str, Any]:
    design, trial = evaluation.design, evaluation.trial
    done = max(0, min((evaluation.over - design.start).days + 1, design.total_nights))
    counts = tally(evaluation.nights)
    adherence = evaluation.report["adherence"]
    return {
        "nights_done": done,
        "nights_total": design.total_nights,
        "pairs_done": blocks_complete(design, evaluation.over),
        "pairs_total": design.pairs,
        "scheduled": counts.scheduled,
        "used": counts.used,
        "washout": counts.washout,
        "missing": counts.missing,
        "run_in_recorded": sum(r.cramps is not None for r in evaluation.run_in),
        "run_in_done": min(done, trial.run_in_nights),
        "adherence": adherence,
    }


def result_numbers(evaluation: Evaluation) -> dict[str, Any] | None:
    analysis = evaluation.analysis
    if analysis is None:
        return None
    rr = analysis.rate_ratio
    noun = remedy_words(evaluation.trial).noun
    return {
        "headline": wording.headline(rr, noun),
        "sentences": wording.result_sentences(analysis, noun)[1:],
        "ratio": ratio_text(rr.median),
        "ratio_low": ratio_text(rr.ci95[0]),
        "ratio_high": ratio_text(rr.ci95[1]),
        "p_reduction": percent(rr.p_reduction),
        "p_meaningful": percent(rr.p_meaningful),
        "cut": round(100 * (1 - rr.threshold)),
        "treatment": analysis.treatment,
        "control": analysis.control,
        "treatment_per_week": f"{analysis.treatment.per_week or 0:.1f}",
        "control_per_week": f"{analysis.control.per_week or 0:.1f}",
        "pain": pain_sentences(analysis, noun),
        "limits": wording.limits_sentences(evaluation.trial.blinded),
        "washout_excluded": analysis.nights.washout,
        "missing": analysis.nights.missing,
    }


# ---- the chart ---------------------------------------------------------------------------

CHART_COLOURS = ("#0b57a4", "#b34700")  # remedy, control: differ in lightness too, and in shape


def chart_data(evaluation: Evaluation) -> list[dict[str, Any]]:
    """One row per period with used nights: the chart's points and its data table."""
    noun = remedy_words(evaluation.trial).noun
    return [
        {
            "period": row["period"],
            "pair": row["pair"],
            "arm": arm_label(row["arm"], noun),
            "nights": row["nights_used"],
            "cramps": row["cramps"],
            "per_week": row["cramps_per_week"],
        }
        for row in evaluation.report["schedule"]
        if row["nights_used"]
    ]


def chart_spec(rows: list[dict[str, Any]], noun: str, analysis: TrialAnalysis) -> dict[str, Any]:
    """A Vega-Lite spec: cramps a week in each period, by arm, with each arm's overall rate."""
    remedy, control = arm_label(Arm.TREATMENT, noun), arm_label(Arm.CONTROL, noun)
    arms = [remedy, control]
    overall = [
        {"arm": remedy, "per_week": round(analysis.treatment.per_week or 0, 3)},
        {"arm": control, "per_week": round(analysis.control.per_week or 0, 3)},
    ]
    colour = {"field": "arm", "type": "nominal", "title": None,
              "scale": {"domain": arms, "range": list(CHART_COLOURS)},
              "legend": {"orient": "bottom", "labelFontSize": 13, "symbolSize": 120}}  # fmt: skip
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": 440,
        "height": 220,
        "background": "#ffffff",
        # The page gives the chart its name and a data table; inner ARIA would only add noise.
        "config": {"aria": False, "font": "DejaVu Sans, Liberation Sans, Arial, sans-serif",
                   "axis": {"labelFontSize": 12, "titleFontSize": 13}},  # fmt: skip
        "layer": [
            {
                "data": {"values": overall},
                "mark": {"type": "rule", "strokeWidth": 2},
                "encoding": {
                    "y": {"field": "per_week", "type": "quantitative"},
                    "color": colour,
                    "strokeDash": {"field": "arm", "type": "nominal", "legend": None,
                                   "scale": {"domain": arms, "range": [[1, 0], [6, 4]]}},  # fmt: skip
                },
            },
            {
                "data": {"values": rows},
                "mark": {"type": "point", "filled": True, "size": 110, "opacity": 1},
                "encoding": {
                    "x": {"field": "period", "type": "ordinal", "title": _("Period, in order"),
                          "axis": {"labelAngle": 0}},  # fmt: skip
                    "y": {"field": "per_week", "type": "quantitative", "title": _("Cramps a week")},
                    "color": colour,
                    "shape": {"field": "arm", "type": "nominal", "legend": None,
                              "scale": {"domain": arms, "range": ["circle", "square"]}},  # fmt: skip
                },
            },
        ],
    }


_INNER_ARIA = re.compile(r'\s(?:role|aria-roledescription|aria-label|aria-hidden)="[^"]*"')


@lru_cache(maxsize=64)
def _render_svg(spec_json: str) -> str | None:
    try:
        import vl_convert  # noqa: PLC0415 - its engine starts on first use; import only when drawing

        return vl_convert.vegalite_to_svg(json.loads(spec_json))
    except Exception:  # noqa: BLE001 - a chart that cannot be drawn leaves its data table
        return None


def chart_svg(evaluation: Evaluation, label: str) -> SafeString | None:
    """The chart as inline SVG named by ``label`` (role=img), or None without data or renderer."""
    rows = chart_data(evaluation)
    if evaluation.analysis is None or not rows or hide_arms(evaluation.trial):
        return None
    spec = chart_spec(rows, remedy_words(evaluation.trial).noun, evaluation.analysis)
    svg = _render_svg(json.dumps(spec, sort_keys=True, default=str))
    if svg is None or not svg.startswith("<svg"):
        return None
    # The page names the chart (role=img, aria-label); Vega's own roles inside would be noise.
    svg = _INNER_ARIA.sub("", svg)
    attrs = f'<svg role="img" aria-label="{escape(label)}" focusable="false"'
    svg = svg.replace("<svg", attrs, 1).replace('class="marks"', 'class="marks trial-chart"', 1)
    return mark_safe(svg)  # noqa: S308 - vl-convert's output of our own spec; labels are escaped


def chart_label(evaluation: Evaluation) -> str:
    analysis = evaluation.analysis
    noun = remedy_words(evaluation.trial).noun
    if analysis is None:
        return ""
    return _(
        "Chart of cramps a week in each period. With %(remedy)s: %(treated)s a week on average; "
        "without: %(control)s a week."
    ) % {
        "remedy": noun,
        "treated": f"{analysis.treatment.per_week or 0:.1f}",
        "control": f"{analysis.control.per_week or 0:.1f}",
    }


# ---- operating characteristics of the looks ---------------------------------------------

# From docs/trials.md ("Looks as the trial goes"), the rows for the rule in use (e = 0.975);
# tests/trials/test_web_looks.py checks that these numbers are the ones published there.
LOOK_CHARACTERISTICS = (
    # (cramps a week, period nights, true ratio, % stop: works, % stop: futile, % to the end, weeks)
    (7, 7, 1.0, 5.9, 53.5, 40.5, 16.0),
    (7, 7, 0.7, 35.0, 15.7, 49.2, 18.1),
    (7, 7, 0.5, 74.9, 3.1, 21.9, 15.1),
    (3, 7, 1.0, 4.0, 45.3, 50.7, 17.8),
    (3, 7, 0.7, 20.7, 14.5, 64.8, 20.1),
    (3, 7, 0.5, 47.7, 4.3, 48.0, 18.9),
    (7, 14, 1.0, 4.2, 38.9, 56.9, 19.6),
    (7, 14, 0.7, 18.3, 11.7, 70.0, 21.2),
    (7, 14, 0.5, 46.7, 3.1, 50.2, 20.0),
)
