"""Plots of sweeps: a phase diagram of the optimum over two parameters, and curves
of the optimum (or of an effective threshold) against one.

matplotlib is imported only when a plot is drawn, through `matplotlib.figure.Figure`
(no pyplot, no GUI backend: the Agg renderer), so that importing lawproof stays
cheap. The format follows the file name: .png or .svg. SVG output is reproducible
(fixed hash salt, no date). Every plot says it shows a numeric exploration.
"""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from ..language.errors import ClaimInputError
from ..language.files import atomic_write
from .sweep import LABEL, SweepResult

_FORMATS = (".png", ".svg")


def _figure(size: tuple[float, float] = (6.4, 4.8)):
    import matplotlib
    from matplotlib.figure import Figure

    matplotlib.rcParams["svg.hashsalt"] = "lawproof"
    return Figure(figsize=size, dpi=100, layout="constrained")


def _save(fig, path: str | Path) -> Path:
    p = Path(path)
    if p.suffix.lower() not in _FORMATS:
        raise ClaimInputError(f"cannot draw '{p.name}': unknown image format",
                              fix="name the file *.png or *.svg")
    metadata = {"Date": None} if p.suffix.lower() == ".svg" else {"Software": None}
    buffer = io.BytesIO()
    fig.savefig(buffer, format=p.suffix.lower()[1:], metadata=metadata)
    atomic_write(p, buffer.getvalue())
    return p


def phase_diagram(result: SweepResult, path: str | Path, *, x: str = "S", y: str | None = None,
                  value: str | None = None, title: str = "") -> Path:
    """A minimizer coordinate (`value`, default the first) over a two-axis grid sweep.

    When `x` (the scan parameter of the threshold) is an axis, it runs across and the
    threshold curves the sweep computed are drawn over the map: the paper's S_c (phi
    at the corner) and the effective S_c_eff. Otherwise the first axis runs across and
    no threshold is drawn (it is a value of the scan parameter, not of this axis)."""
    axes = dict(result.axes)
    if len(axes) != 2:
        raise ClaimInputError("a phase diagram needs a sweep over exactly two grid axes",
                              fix="sweep with two --grid axes, e.g. --grid S=0:1:100 --grid R=1:10:100")
    scanned = x in axes
    if not scanned:
        x = result.axes[0][0]
    value = value or next((c for c in result.columns if c.startswith("a_star")), None)
    if value is None:
        raise ClaimInputError("the sweep computed no minimizer to draw",
                              fix="give every parameter of the objective a value (--grid or --set)")
    y = y or next(n for n in axes if n != x)
    names = [n for n, _ in result.axes]
    shape = tuple(len(axes[n]) for n in names)
    z = result.columns[value].reshape(shape)
    if names[0] == x:
        z = z.T
    fig = _figure()
    ax = fig.add_subplot()
    mesh = ax.pcolormesh(axes[x], axes[y], z, shading="nearest", cmap="viridis")
    fig.colorbar(mesh, ax=ax, label=value.replace("_", " "))
    for column, style, label in (("S_c", "-", "S_c (paper, parameter at its value at 0)"),
                                 ("S_c_eff", "--", "S_c_eff (effective threshold)")):
        if scanned and column in result.columns:
            curve = result.columns[column].reshape(shape)
            line = curve[0, :] if names[0] == x else curve[:, 0]
            ax.plot(line, axes[y], style, color="white" if column == "S_c" else "orange", lw=1.6,
                    label=label)
    ax.set_xlim(axes[x][0], axes[x][-1])
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    ax.set_title(title or f"minimizer {value.replace('_', ' ')}")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="lower right", fontsize=8)
    fig.text(0.01, 0.005, LABEL, fontsize=7, color="gray")
    return _save(fig, path)


def line_plot(curves: dict[str, tuple[np.ndarray, np.ndarray]], path: str | Path, *, xlabel: str,
              ylabel: str, title: str, baseline: tuple[np.ndarray, np.ndarray] | None = None,
              baseline_label: str = "") -> Path:
    """One line per entry of `curves` (x values, y values), and a dashed `baseline`."""
    fig = _figure()
    ax = fig.add_subplot()
    for name, (xs, ys) in curves.items():
        ax.plot(xs, ys, lw=1.6, label=name)
    if baseline is not None:  # drawn last: families that keep the threshold lie under it
        ax.plot(*baseline, "k--", lw=1.2, label=baseline_label, zorder=5)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize=8)
    fig.text(0.01, 0.005, LABEL, fontsize=7, color="gray")
    return _save(fig, path)


def one_axis_plot(results: dict[str, SweepResult], axis: str, path: str | Path, *,
                  scan: str | None = None) -> Path:
    """What a one-axis sweep shows: the effective threshold per family against the
    axis (and the paper's threshold) when the sweep computed one and the axis is not
    the scan parameter itself (the threshold is a value of that parameter), else the
    optimum itself, each minimizer coordinate per family. Never an empty plot: a sweep
    with neither is an input error."""
    thresholds = {name or "base model": (r.columns[axis], r.columns["S_c_eff"]) for name, r in results.items()
                  if "S_c_eff" in r.columns and axis in r.columns and axis != scan}
    if thresholds:
        first = next(r for r in results.values() if "S_c_eff" in r.columns)
        return line_plot(thresholds, path, xlabel=axis, ylabel="S_c_eff", title="effective threshold per family",
                         baseline=(first.columns[axis], first.columns["S_c"]), baseline_label="S_c (paper)")
    optima = {}
    for name, r in results.items():
        for column in sorted(c for c in r.columns if c.startswith("a_star")):
            label = " ".join(part for part in (name, column.removeprefix("a_star").lstrip("_")) if part)
            optima[label or "minimizer"] = (r.columns[axis], r.columns[column])
    if not optima:
        raise ClaimInputError(f"the sweep over {axis} computed neither a minimizer nor a threshold to draw",
                              fix="give every parameter of the objective a value (--grid or --set)")
    return line_plot(optima, path, xlabel=axis, ylabel="minimizer", title=f"the optimum against {axis}")


__all__ = ["phase_diagram", "line_plot", "one_axis_plot"]
