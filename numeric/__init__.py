"""Numeric layer: exact and 50-digit evaluation, counterexample re-checks, sampling."""
from .evaluate import (TooLarge, Undecided, Undefined, Unsupported, atom_values, enclosure, exact_sign, exact_truth,
                       exact_value, mp_value, shown_value)
from .recheck import Recheck, recheck
from .sample import SampleReport, mp_truth, points, search

__all__ = ["TooLarge", "Undefined", "Undecided", "Unsupported", "exact_value", "exact_sign", "enclosure", "mp_value", "shown_value",
           "exact_truth", "mp_truth", "atom_values", "Recheck", "recheck", "SampleReport",
           "points", "search"]
