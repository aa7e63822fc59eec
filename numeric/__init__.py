"""Numeric layer: exact and 50-digit evaluation, counterexample re-checks, sampling."""
