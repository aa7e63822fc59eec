"""Proof layer: translate normalized claims to SMT (z3), prove them or return exact,
shrunk counterexamples with witnesses. Knows nothing of numerics or rendering."""
from .translate import Translator, lift_existentials
from .smt import SmtOutcome, decide, holds_at

__all__ = ["Translator", "lift_existentials", "SmtOutcome", "decide", "holds_at"]
