"""What other parts of the site ask of personal trials.

The home page shows tonight's plan (``tonight_for``), the morning check-in asks whether it was
followed (``adherence_form``, ``save_adherence``), and the doctor's report lists finished trials
with their answers (``finished_results``). The trial pages use this package's modules directly: ``catalogue``
(remedies and their words), ``tonight`` (nights and adherence), ``wizard``, ``lifecycle``
(creating and stopping), ``evaluation``, ``presentation`` and ``chart``. They are the Django side;
the pure rules they share with the forms are in ``trials.rules``.
"""

from __future__ import annotations

from crampwise.trials.services.evaluation import finished_results
from crampwise.trials.services.tonight import adherence_form, save_adherence, tonight_for

__all__ = ["adherence_form", "finished_results", "save_adherence", "tonight_for"]
