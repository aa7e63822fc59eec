"""lawproof: check the mathematics of papers on AI scaling laws and computer architecture.

Typical use::

    import lawproof
    result = lawproof.check_file("papers/amdahl_modernized.claims.toml")
    for r in result.results:
        print(r.claim, r.verdict, r.method)

A claim file (TOML, see shared/spec/claim-language.md) states what a paper asserts;
each claim comes back `proved`, `refuted` (with an exact counterexample),
`consistent`, `unknown`, `error` or `not-checkable`, with its evidence.
"""
from typing import Any, Callable

from .language.claims import Claim, ClaimFile, Definition, SymbolInfo, Theory
from .language.errors import ClaimInputError, FormulaSyntaxError, LawproofError
from .language.loader import load, loads
from .verdict import RICH_DISPLAY, VERDICTS, Evidence, Result
from .engine import FileResult, bundled_papers, check_claim, check_file

__version__ = "0.1.0"


def _display(kind: str) -> Callable[[Any], str]:
    """Jupyter's renderer for `kind`: loads the report layer on first use only, because it
    imports matplotlib, which `import lawproof` and the command line need not pay for."""
    def render(obj: Any) -> str:
        from .report import display
        return display.render(kind, obj)
    return render


RICH_DISPLAY.update({kind: _display(kind) for kind in ("markdown", "html")})

__all__ = ["Claim", "ClaimFile", "Definition", "SymbolInfo", "Theory", "ClaimInputError",
           "FormulaSyntaxError", "LawproofError", "load", "loads", "VERDICTS", "Evidence",
           "Result", "FileResult", "bundled_papers", "check_claim", "check_file"]
