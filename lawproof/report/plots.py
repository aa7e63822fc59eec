"""Plots a claim file asks for in `[[plot]]` tables, drawn as deterministic SVG.

Expressions are read with the claim language's parser and the file's definitions,
then evaluated point by point at 50 digits by the numeric layer: a plot shows the
pack's own mathematics, never a retyped copy of it. Values are floats only for
drawing. The table format is documented in docs/claim-language-extensions.md.
"""
from __future__ import annotations

import io
import math
import re
import tomllib
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sympy

from ..language.claims import Theory
from ..language.errors import ClaimInputError, unknown_key_fix
from ..language.formula import Formula, free_symbols
from ..numeric import Undefined, mp_truth, mp_value
from ..language.parser import parse_formula, parse_term
from ..symbolic import desugar, expand

if TYPE_CHECKING:  # numpy and matplotlib are imported where a plot is drawn
    import numpy
from .text import xml_safe

KINDS = ("curve", "region")
SCALES = ("linear", "log")
PLOT_KEYS = {"id", "title", "kind", "caption", "x", "y", "curves", "family", "fix", "shade", "points"}
AXIS_KEYS = {"symbol", "from", "to", "scale", "label"}
DIGITS = 50
#: Default resolution: points per curve, and grid points per axis of a region.
CURVE_POINTS, REGION_POINTS = 161, 64

#: Fixed style, independent of any matplotlibrc, so that SVG bytes are reproducible.
_STYLE = {"font.family": "DejaVu Sans", "font.size": 10, "svg.fonttype": "none",
          "axes.grid": True, "grid.alpha": 0.35, "figure.dpi": 100, "savefig.dpi": 100,
          "path.simplify": False}
_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class Plot:
    """A rendered figure: its SVG text and where the SVG file goes."""

    id: str
    title: str
    caption: str
    file: str
    svg: str

    @property
    def inline_svg(self) -> str:
        """The `<svg>` element alone (no XML declaration, no doctype), for HTML."""
        return self.svg[self.svg.index("<svg"):]


@dataclass(frozen=True)
class Axis:
    """One axis: the symbol it varies (None for a curve plot's value axis), its range
    (None: automatic), its scale and its label."""

    symbol: sympy.Symbol | None
    lo: float | None
    hi: float | None
    scale: str
    label: str


@dataclass(frozen=True)
class Curve:
    """`y = expr` as a function of the x symbol (expanded term) with a legend label."""

    expr: sympy.Expr
    label: str


@dataclass(frozen=True)
class Shade:
    """A region plot's colour: `expr` where `where` holds, `otherwise` elsewhere
    (blank when `otherwise` is None)."""

    expr: sympy.Expr
    where: Formula | None
    otherwise: sympy.Expr | None
    label: str


@dataclass(frozen=True)
class PlotSpec:
    """One `[[plot]]` table, parsed and checked against the file's theory."""

    id: str
    title: str
    kind: str
    caption: str
    x: Axis
    y: Axis
    curves: tuple[Curve, ...]
    family: tuple[sympy.Symbol, tuple[tuple[str, Fraction], ...]] | None
    fixed: tuple[tuple[sympy.Symbol, Fraction], ...]
    shade: Shade | None
    points: int


def draw_plots(theory: Theory) -> tuple[list[Plot], list[ClaimInputError]]:
    """Every plot the theory's claim file asks for, and the problems of those that
    could not be drawn (each a ClaimInputError naming the file and the plot)."""
    specs, problems = read_plot_specs(theory)
    plots: list[Plot] = []
    for spec in specs:
        try:
            svg = render_svg(spec, salt=f"{theory.id}/{spec.id}")
        except ClaimInputError as e:
            problems.append(e.located(file=theory.path))
            continue
        plots.append(Plot(spec.id, spec.title, spec.caption, f"artifacts/{theory.id}/{spec.id}.svg", svg))
    return plots, problems


def read_plot_specs(theory: Theory) -> tuple[list[PlotSpec], list[ClaimInputError]]:
    """The `[[plot]]` tables of the theory's claim file (none for a theory that was
    not loaded from a file)."""
    path = Path(theory.path)
    if not path.is_file():
        return [], []
    text = path.read_text(encoding="utf-8")
    tables = tomllib.loads(text).get("plot", [])
    starts = [i + 1 for i, ln in enumerate(text.splitlines()) if ln.strip() == "[[plot]]"]
    specs: list[PlotSpec] = []
    problems: list[ClaimInputError] = []
    for index, raw in enumerate(tables if isinstance(tables, list) else [tables]):
        line = starts[index] if index < len(starts) else None
        try:
            spec = _spec(raw, theory)
            if any(s.id == spec.id for s in specs):
                raise ClaimInputError(f"plot id '{spec.id}' is used twice", fix="give every plot its own id")
            specs.append(spec)
        except ClaimInputError as e:
            e.message = f"in [[plot]] number {index + 1}: {e.message}"
            problems.append(e.located(file=theory.path, line=line))
    return specs, problems


def _spec(raw: Any, theory: Theory) -> PlotSpec:
    if not isinstance(raw, dict):
        raise ClaimInputError("a [[plot]] must be a table", fix="see docs/claim-language-extensions.md")
    unknown = sorted(set(raw) - PLOT_KEYS)
    if unknown:
        raise ClaimInputError(f"unknown key '{unknown[0]}'", fix=unknown_key_fix(unknown[0], PLOT_KEYS))
    pid = raw.get("id")
    if not isinstance(pid, str) or not _SLUG.fullmatch(pid):  # the id names the plot's file
        raise ClaimInputError("the plot needs an id made of letters, digits, '-' and '_'"
                              + (f", not {pid!r}" if isinstance(pid, str) else ""),
                              fix='add id = "phase-diagram"')
    kind = raw.get("kind", "curve")
    if kind not in KINDS:
        raise ClaimInputError(f"plot '{pid}': kind must be one of {', '.join(KINDS)}, not {kind!r}",
                              fix='write kind = "curve" or kind = "region"')
    reader = _Reader(theory, pid)
    x = reader.axis(raw.get("x"), "x", needs_symbol=True, needs_range=True)
    y = reader.axis(raw.get("y", {}), "y", needs_symbol=kind == "region", needs_range=kind == "region")
    family = reader.family(raw.get("family"))
    fixed = reader.fixed(raw.get("fix", {}))
    varying = {x.symbol} | ({y.symbol} if y.symbol is not None else set()) | \
              ({family[0]} if family else set()) | {s for s, _ in fixed}
    curves = tuple(reader.curve(c, varying - {y.symbol}) for c in reader.table_list(raw.get("curves", []), "curves"))
    shade = reader.shade(raw.get("shade"), varying) if kind == "region" else None
    if kind == "region" and shade is None:
        raise ClaimInputError(f"plot '{pid}': a region plot needs shade = {{ expr = \"...\" }}",
                              fix='add shade = { expr = "a_opt(S)", where = "S < S_c", otherwise = "0" }')
    if kind == "curve" and not curves:
        raise ClaimInputError(f"plot '{pid}': a curve plot needs curves = [{{ expr = \"...\" }}]",
                              fix='add curves = [{ expr = "X(t)", label = "X(t)" }]')
    points = raw.get("points", REGION_POINTS if kind == "region" else CURVE_POINTS)
    if not isinstance(points, int) or isinstance(points, bool) or not 8 <= points <= 400:
        raise ClaimInputError(f"plot '{pid}': points must be a whole number from 8 to 400",
                              fix="write points = 100")
    return PlotSpec(pid, str(raw.get("title", pid)), kind, str(raw.get("caption", "")), x, y,
                    curves, family, fixed, shade, points)


class _Reader:
    """Reads the parts of one plot table against the theory's namespace."""

    def __init__(self, theory: Theory, pid: str) -> None:
        self.theory, self.pid, self.ns = theory, pid, theory.namespace

    def fail(self, message: str, fix: str) -> ClaimInputError:
        return ClaimInputError(f"plot '{self.pid}': {message}", fix=fix)

    def symbol(self, name: Any, where: str) -> sympy.Symbol:
        info = self.theory.symbols.get(name) if isinstance(name, str) else None
        if info is None:
            known = ", ".join(self.theory.symbols)
            raise self.fail(f"{where} must name a symbol of [symbols], not {name!r}", f"choose one of: {known}")
        return info.symbol

    def term(self, text: Any, where: str, allowed: set[sympy.Symbol] | None = None) -> sympy.Expr:
        if isinstance(text, bool) or not isinstance(text, (str, int, float)):
            raise self.fail(f"{where} must be a formula in a string", f'write {where} = "..."')
        try:
            expr = expand(parse_term(str(text), self.ns), self.theory)
        except ClaimInputError as e:
            raise self.fail(f"in {where}: {e.message}", e.fix) from None
        self.only(expr.free_symbols, allowed or set(), where)
        return expr

    def only(self, symbols: set, allowed: set[sympy.Symbol], where: str) -> None:
        missing = sorted(s.name for s in symbols - allowed)
        if missing:
            raise self.fail(f"{where} needs a value for {', '.join(missing)}",
                            f"give it in fix = {{ {missing[0]} = \"...\" }} or vary it on an axis or as the family")

    def number(self, value: Any, where: str) -> Fraction:
        expr = self.term(value, where)
        try:
            number = Fraction(int(expr.p), int(expr.q)) if expr.is_Rational else \
                Fraction(float(mp_value(expr, {}, DIGITS)))
            float(number)  # a plot draws floats: a value beyond them (10^400) cannot be drawn
        except (Undefined, ValueError) as e:
            raise self.fail(f"{where} is not a real number ({e})", "give a number such as 0.5 or 1/2") from None
        except OverflowError:
            raise self.fail(f"{where} = {value} is too large to plot (beyond 1.8e308)",
                            "give a number such as 0.5 or 1/2") from None
        return number

    def axis(self, raw: Any, name: str, *, needs_symbol: bool, needs_range: bool) -> Axis:
        if not isinstance(raw, dict):
            raise self.fail(f"'{name}' must be a table", f'write {name} = {{ symbol = "...", from = 0, to = 1 }}')
        unknown = sorted(set(raw) - AXIS_KEYS)
        if unknown:
            raise self.fail(f"unknown key '{unknown[0]}' in {name}", unknown_key_fix(unknown[0], AXIS_KEYS))
        symbol = self.symbol(raw.get("symbol"), f"{name}.symbol") if needs_symbol else None
        if needs_range and not ("from" in raw and "to" in raw):
            raise self.fail(f"{name} needs a range", f"add from = ... and to = ... to {name}")
        lo = float(self.number(raw["from"], f"{name}.from")) if "from" in raw else None
        hi = float(self.number(raw["to"], f"{name}.to")) if "to" in raw else None
        scale = raw.get("scale", "linear")
        if scale not in SCALES:
            raise self.fail(f"{name}.scale must be linear or log, not {scale!r}", 'write scale = "log"')
        if lo is not None and hi is not None and not lo < hi:
            raise self.fail(f"{name} must run from a smaller to a larger value", "swap from and to")
        if scale == "log" and lo is not None and lo <= 0:
            raise self.fail(f"a log axis {name} must start above 0", "raise from, or use a linear scale")
        label = str(raw.get("label", "")) or (self._meaning(symbol) if symbol is not None else "")
        return Axis(symbol, lo, hi, scale, label)

    def _meaning(self, symbol: sympy.Symbol) -> str:
        text = self.theory.symbols[symbol.name].text
        return f"{text} ({symbol.name})" if text else symbol.name

    def family(self, raw: Any) -> tuple[sympy.Symbol, tuple[tuple[str, Fraction], ...]] | None:
        if raw is None:
            return None
        if not isinstance(raw, dict) or not isinstance(raw.get("values"), list) or not raw["values"]:
            raise self.fail("family must be a table with a symbol and a list of values",
                            'write family = { symbol = "beta", values = ["0.5", "1", "2"] }')
        symbol = self.symbol(raw.get("symbol"), "family.symbol")
        return symbol, tuple((str(v), self.number(v, "family.values")) for v in raw["values"])

    def fixed(self, raw: Any) -> tuple[tuple[sympy.Symbol, Fraction], ...]:
        if not isinstance(raw, dict):
            raise self.fail("fix must be a table of symbol = value", 'write fix = { kappa = "0.05" }')
        return tuple((self.symbol(name, "a name in fix"), self.number(v, f"fix.{name}"))
                     for name, v in raw.items())

    def table_list(self, raw: Any, where: str) -> list[dict]:
        if not isinstance(raw, list) or not all(isinstance(c, dict) for c in raw):
            raise self.fail(f"{where} must be a list of tables", f'write {where} = [{{ expr = "..." }}]')
        return raw

    def curve(self, raw: dict, allowed: set[sympy.Symbol]) -> Curve:
        expr = self.term(raw.get("expr"), "curves.expr", allowed)
        return Curve(expr, str(raw.get("label", raw.get("expr"))))

    def shade(self, raw: Any, allowed: set[sympy.Symbol]) -> Shade | None:
        if raw is None:
            return None
        if not isinstance(raw, dict):
            raise self.fail("shade must be a table", 'write shade = { expr = "..." }')
        expr = self.term(raw.get("expr"), "shade.expr", allowed)
        where = None
        if "where" in raw:
            try:
                parsed = parse_formula(str(raw["where"]), self.ns)
            except ClaimInputError as e:
                raise self.fail(f"in shade.where: {e.message}", e.fix) from None
            where = desugar(parsed.map_exprs(lambda e: expand(e, self.theory)))
            self.only(free_symbols(where), allowed, "shade.where")
        otherwise = self.term(raw["otherwise"], "shade.otherwise", allowed) if "otherwise" in raw else None
        return Shade(expr, where, otherwise, str(raw.get("label", raw.get("expr"))))


def _value(expr: sympy.Expr, env: dict[sympy.Symbol, Fraction]) -> float:
    """The term at a point as a float for drawing (NaN where it is undefined)."""
    try:
        return float(mp_value(expr, env, DIGITS))
    except Undefined:
        return math.nan
    except ValueError as e:
        raise ClaimInputError(f"cannot evaluate {sympy.sstr(expr)} for a plot: {e}",
                              fix="plot an expression built from +, *, powers, exp, log, abs, min, max") from None


def _grid(axis: Axis, n: int) -> numpy.ndarray:
    import numpy

    if axis.scale == "log":
        return numpy.geomspace(axis.lo, axis.hi, n)
    return numpy.linspace(axis.lo, axis.hi, n)


def _shade_value(shade: Shade, env: dict[sympy.Symbol, Fraction]) -> float:
    if shade.where is None or mp_truth(shade.where, env, DIGITS):
        return _value(shade.expr, env)
    return math.nan if shade.otherwise is None else _value(shade.otherwise, env)


@dataclass
class PlotData:
    """The numbers a plot shows: the x grid, the labelled curves (y per x, NaN where
    undefined) and, for a region plot, the y grid and the shade values `z[j][i]` at
    `(xs[i], ys[j])`."""

    xs: numpy.ndarray
    lines: list[tuple[str, numpy.ndarray]]
    ys: numpy.ndarray | None = None
    z: numpy.ndarray | None = None


def compute(spec: PlotSpec) -> PlotData:
    """Evaluate the plot's expressions on its grid (50 digits, then floats)."""
    import numpy

    fixed = dict(spec.fixed)
    xs = _grid(spec.x, spec.points)
    data = PlotData(xs, [])
    if spec.kind == "region":
        data.ys = _grid(spec.y, spec.points)
        data.z = numpy.array([[_shade_value(spec.shade, {**fixed, spec.x.symbol: Fraction(x),
                                                         spec.y.symbol: Fraction(y)})
                               for x in xs] for y in data.ys])
    for value_text, value in (spec.family[1] if spec.family else ((None, None),)):
        env = dict(fixed) if value is None else {**fixed, spec.family[0]: value}
        for curve in spec.curves:
            label = curve.label if value is None else f"{curve.label}, {spec.family[0].name} = {value_text}"
            data.lines.append((label, numpy.array([_value(curve.expr, {**env, spec.x.symbol: Fraction(x)})
                                                   for x in xs])))
    return data


def _svg_text(text: str) -> str:
    """Text from the claim file as matplotlib shows it: literally (a `$` does not start
    math), and with no character XML does not allow (the SVG stays well-formed)."""
    return xml_safe(text).replace("$", r"\$")


def render_svg(spec: PlotSpec, *, salt: str) -> str:
    """Draw the plot and return the SVG text: same spec and salt, same bytes."""
    # here, not at the top: `lawproof check` reaches this module (through the report
    # package) and must not pay matplotlib's and numpy's imports (0.5 s) for no plot
    import matplotlib.style
    from matplotlib import ticker
    from matplotlib.figure import Figure

    data = compute(spec)
    with matplotlib.style.context(["default", {**_STYLE, "svg.hashsalt": salt}]):
        fig = Figure(figsize=(7.2, 4.6), layout="constrained")
        ax = fig.add_subplot()
        if data.z is not None:
            filled = ax.contourf(data.xs, data.ys, data.z, levels=12, cmap="Blues")
            fig.colorbar(filled, ax=ax, label=_svg_text(spec.shade.label))
        for label, ys in data.lines:
            ax.plot(data.xs, ys, label=_svg_text(label), linewidth=2, color="black" if data.z is not None else None)
        ax.set_xscale(spec.x.scale)
        ax.set_yscale(spec.y.scale)
        for axis, scale in ((ax.xaxis, spec.x.scale), (ax.yaxis, spec.y.scale)):
            if scale == "log":
                # plain numbers at 1-2-5 steps read better than powers of ten over short ranges
                axis.set_major_locator(ticker.LogLocator(subs=(1, 2, 5)))
                axis.set_major_formatter(ticker.FormatStrFormatter("%g"))
        ax.set_xlim(spec.x.lo, spec.x.hi)
        if spec.y.lo is not None or spec.y.hi is not None:
            ax.set_ylim(spec.y.lo, spec.y.hi)
        ax.set_xlabel(_svg_text(spec.x.label))
        ax.set_ylabel(_svg_text(spec.y.label))
        ax.set_title(_svg_text(spec.title))
        if data.lines:
            ax.legend(loc="best")
        buffer = io.BytesIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue().decode("utf-8")
