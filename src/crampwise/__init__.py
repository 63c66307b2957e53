"""crampwise: a night diary, insights and personal trials for nocturnal leg cramps."""

__version__ = "0.1.0"

import os as _os

# numpy's OpenBLAS spins a thread pool on every small matrix product; on the tiny models of one
# diary that costs far more than it gains (measured in docs/insights.md). Set before numpy is first
# imported; an explicit setting wins.
_os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
