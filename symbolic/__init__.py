"""Symbolic layer: expand definitions, evaluate calculus, normalize, decide identities,
derive closed forms. Knows nothing of SMT solvers or numerics."""
from .normalize import expand, expand_formula, normalize, desugar, definedness, derived_steps
from .identity import IdentityResult, decide_identity
from .derive import Derivation, derive_optimum

__all__ = ["expand", "expand_formula", "normalize", "desugar", "definedness", "derived_steps", "IdentityResult",
           "decide_identity", "Derivation", "derive_optimum"]
