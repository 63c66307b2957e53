"""Guidance and safety: the assessment, red flags, the medicine review and a personal plan.

Pure modules (no Django): ``assessment`` (``assess(data) -> dict``), ``inputs`` (the input rules),
``medicines`` (matching typed medicine names), ``plan`` and ``messages``; ``cli`` holds the click
command ``assess``. The Django side (models, views, urls) is kept apart from these.
"""
