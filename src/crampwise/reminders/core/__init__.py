"""When reminders fall due, in each person's own time (no Django)."""
