"""crampwise: a night diary, insights and personal trials for nocturnal leg cramps."""

__version__ = "0.1.0"
