"""Plots of sweeps: the S-R phase diagram of a*, and effective-threshold curves.

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
                  value: str = "a_star", title: str = "") -> Path:
    """a* over a two-axis grid sweep (x across, y up), with the threshold curves:
    the paper's S_c (phi at the corner) and, when it differs, the effective S_c_eff."""
    axes = dict(result.axes)
    if x not in axes or len(axes) != 2:
        raise ClaimInputError("a phase diagram needs a sweep over exactly two grid axes, one of them "
                              f"'{x}'", fix=f"sweep with --grid {x}=lo:hi:n --grid R=lo:hi:n")
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
        if column in result.columns:
            curve = result.columns[column].reshape(shape)
            line = curve[0, :] if names[0] == x else curve[:, 0]
            ax.plot(line, axes[y], style, color="white" if column == "S_c" else "orange", lw=1.6,
                    label=label)
    ax.set_xlim(axes[x][0], axes[x][-1])
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    ax.set_title(title or f"optimal allocation {value.replace('_', ' ')}")
    ax.legend(loc="lower right", fontsize=8)
    fig.text(0.01, 0.005, LABEL, fontsize=7, color="gray")
    return _save(fig, path)


def threshold_curves(curves: dict[str, tuple[np.ndarray, np.ndarray]], path: str | Path, *,
                     xlabel: str, baseline: tuple[np.ndarray, np.ndarray] | None = None,
                     title: str = "effective threshold per family") -> Path:
    """S_c_eff against one parameter, one line per family, and the paper's S_c."""
    fig = _figure()
    ax = fig.add_subplot()
    for name, (xs, ys) in curves.items():
        ax.plot(xs, ys, lw=1.6, label=name)
    if baseline is not None:  # drawn last: families that keep the threshold lie under it
        ax.plot(*baseline, "k--", lw=1.2, label="S_c (paper)", zorder=5)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("S_c_eff")
    ax.set_title(title)
    ax.legend(fontsize=8)
    fig.text(0.01, 0.005, LABEL, fontsize=7, color="gray")
    return _save(fig, path)


def curve_sweep(results: dict[str, SweepResult], axis: str) -> tuple[dict[str, tuple[np.ndarray, np.ndarray]],
                                                                       tuple[np.ndarray, np.ndarray] | None]:
    """The per-family S_c_eff curves (and the paper's S_c) of one-axis sweeps."""
    curves, baseline = {}, None
    for name, r in results.items():
        if "S_c_eff" not in r.columns:
            continue
        curves[name] = (r.columns[axis], r.columns["S_c_eff"])
        baseline = baseline or (r.columns[axis], r.columns["S_c"])
    return curves, baseline


__all__ = ["phase_diagram", "threshold_curves", "curve_sweep"]
