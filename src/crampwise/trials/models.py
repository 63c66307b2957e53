"""Stored personal trials and the morning answers about following their plan.

A trial stores its design (seed, start, period and washout lengths, pairs), never its schedule:
``design()`` rebuilds the schedule night by night through ``trials.design``, so what the person was
told to do can always be checked against the recorded seed. The cramp counts stay in the diary;
the trial joins them to its schedule when it is analysed.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crampwise.trials.core.design import SEED_LIMIT, TrialDesign

OWN_REMEDY = "own"  # remedy_id of a remedy the person named themself


class Trial(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Running")
        STOPPED = "stopped", _("Stopped early")
        FINISHED = "finished", _("Finished")

    class Kind(models.TextChoices):
        # trials.design.RemedyKind, plus "medicine" from the evidence base (a change agreed with a
        # doctor); a medicine trial uses the supplement timing: two-week periods, one week washout.
        STRETCHING = "stretching", _("Stretching")
        FLUIDS = "fluids", _("Drinking")
        BEHAVIOUR = "behaviour", _("A habit")
        SUPPLEMENT = "supplement", _("A supplement")
        MEDICINE = "medicine", _("A medicine change")

    class StopReason(models.TextChoices):
        ANSWER_CLEAR = "answer_clear", _("The answer is clear")
        SIDE_EFFECTS = "side_effects", _("Side effects or other problems")
        TOO_HARD = "too_hard", _("It was too hard to keep up")
        OTHER = "other", _("Something else")

    # A UUID key: an id in a URL says nothing about how many trials anyone runs.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trials"
    )
    remedy_id = models.CharField(max_length=40)  # an evidence-base remedy id, or OWN_REMEDY
    remedy_label = models.CharField(max_length=80)  # the person's own name for an own remedy
    kind = models.CharField(max_length=12, choices=Kind.choices)
    seed = models.BigIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(SEED_LIMIT - 1)]
    )
    start = models.DateField()  # the first night (of the run-in, when there is one)
    period_nights = models.PositiveSmallIntegerField()
    washout_nights = models.PositiveSmallIntegerField()
    run_in_nights = models.PositiveSmallIntegerField(default=0)
    pairs = models.PositiveSmallIntegerField()
    # Periods per randomization block: 2 is a pair (remedy and control in a random order); 4 is a
    # block of two of each in a random balanced order (``trials.core.design``).
    block_periods = models.PositiveSmallIntegerField(default=2)
    threshold = models.FloatField(default=0.8)  # a rate ratio: 0.8 = "at least 20% fewer"
    hoped_ratio = models.FloatField(default=0.5)  # the effect the length was chosen for
    # The diary rate the length was chosen with (None: too few nights, so a run-in measures it).
    baseline_per_week = models.FloatField(null=True, blank=True)
    blinded = models.BooleanField(default=False)
    prescriber_agreed = models.BooleanField(default=False)  # confirmed in the wizard
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created = models.DateTimeField(auto_now_add=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    # The last night that belongs to a stopped trial; later nights are plain diary nights.
    last_trial_night = models.DateField(null=True, blank=True)
    stop_reason = models.CharField(max_length=20, choices=StopReason.choices, blank=True)
    stop_note = models.TextField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created"]
        constraints = [
            # One plan a night: two running trials would give two answers to "what do I do tonight?"
            models.UniqueConstraint(
                fields=["owner"], condition=Q(status="active"), name="one_active_trial_per_person"
            ),
            models.CheckConstraint(
                condition=Q(washout_nights__lt=models.F("period_nights")),
                name="washout_shorter_than_period",
            ),
            models.CheckConstraint(condition=Q(pairs__gte=1), name="trial_has_a_pair"),
            models.CheckConstraint(
                condition=Q(block_periods__in=[2, 4, 6]), name="trial_block_of_2_4_or_6_periods"
            ),
            models.CheckConstraint(
                condition=Q(threshold__gt=0) & Q(threshold__lte=1), name="threshold_is_a_ratio"
            ),
        ]

    def __str__(self) -> str:
        return f"trial of {self.remedy_id} from {self.start}"

    def design(self) -> TrialDesign:
        return TrialDesign(
            start=self.start,
            seed=self.seed,
            pairs=self.pairs,
            period_nights=self.period_nights,
            washout_nights=self.washout_nights,
            run_in_nights=self.run_in_nights,
            block_periods=self.block_periods,
        )

    @property
    def end(self) -> date:
        """The last night of the trial: the planned end, or the last night before it was stopped."""
        planned = self.design().end
        if self.last_trial_night is not None:
            return min(planned, self.last_trial_night)
        return planned

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class Adherence(models.Model):
    """The morning answer to "did you follow last night's plan?" (remedy, or no remedy)."""

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="adherence")
    night = models.DateField()
    followed = models.BooleanField()
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["night"]
        constraints = [
            models.UniqueConstraint(fields=["trial", "night"], name="one_answer_per_trial_night")
        ]

    def __str__(self) -> str:
        return f"{'followed' if self.followed else 'not followed'} on {self.night}"
