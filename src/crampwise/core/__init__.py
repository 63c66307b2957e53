"""Django-free parts shared by every feature: translation markers and the evidence base."""
