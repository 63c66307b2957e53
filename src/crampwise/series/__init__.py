"""Trial series: one protocol, many patients' personal trials, one pooled answer."""
