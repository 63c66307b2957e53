"""Series arithmetic without Django."""
