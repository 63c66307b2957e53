"""The trials feature's Django-free core: plain Python, no I/O, no Django imports."""
