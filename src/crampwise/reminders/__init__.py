"""Reminders: evening and morning nudges and trial milestones by web push, email and calendar feed."""
