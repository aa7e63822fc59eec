"""Sweeps: reproducible with a seed, any Executor, agreement with closed forms and with
the 50-digit thresholds, two-variable optima, CSV/JSON/plots and the command line."""
from __future__ import annotations

import io
import json
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

import lawproof
from lawproof.explore import sweep, threshold, variants
from lawproof.cli import main
from lawproof.explore.plots_sweep import phase_diagram

PAPER = Path(__file__).resolve().parent.parent / "papers" / "amdahl_modernized.claims.toml"
CLAIM = "collapse-sufficient"


@pytest.fixture(scope="module")
def base() -> tuple:
    claim, theory = variants.load_claim(PAPER, CLAIM)
    return claim, theory, sweep.problem(claim, theory)


def _csv(result: sweep.SweepResult) -> str:
    out = io.StringIO()
    result.to_csv(out)
    return out.getvalue()


def test_random_sweep_is_reproducible_with_a_seed(base):
    pb = base[2]
    box = {"S": (0.0, 1.0), "R": (1.01, 10.0)}
    first = _csv(sweep.run(pb, sweep.random_points(box, 300, seed=3), workers=1, chunk=100, progress=False))
    again = _csv(sweep.run(pb, sweep.random_points(box, 300, seed=3), workers=2, chunk=100, progress=False))
    other = _csv(sweep.run(pb, sweep.random_points(box, 300, seed=4), workers=1, chunk=100, progress=False))
    assert first == again and first != other
    assert first.splitlines()[0] == "S,R,a_star,f_min,corner,S_c,S_c_eff"


def test_any_executor_gives_the_same_columns(base):
    pb = base[2]
    points, _ = sweep.grid({"S": (0, 1, 7), "R": (1.5, 6, 5)})
    serial = sweep.run(pb, points, workers=1, chunk=10, progress=False)
    with ThreadPoolExecutor(max_workers=3) as pool:
        threaded = sweep.run(pb, points, executor=pool, chunk=10, progress=False)
    assert _csv(serial) == _csv(threaded)


def test_grid_agrees_with_the_closed_form_optimum(base):
    claim, theory, pb = base
    points, _ = sweep.grid({"S": (0.05, 0.95, 7), "R": (1.5, 9, 6)})
    cols = sweep.run(pb, points, workers=1, progress=False).columns
    S, R = theory.symbols["S"].symbol, theory.symbols["R"].symbol
    a_opt = lawproof.symbolic.expand(theory.definitions["a_opt"].body, theory)
    for s, r, a, corner, s_eff in zip(cols["S"], cols["R"], cols["a_star"], cols["corner"], cols["S_c_eff"]):
        env = {S: Fraction(s), R: Fraction(r)}
        threshold_value = 1 - 1 / Fraction(r)
        assert abs(s_eff - float(threshold_value)) < 1e-9  # constant R: S_c_eff = S_c
        if Fraction(s) >= threshold_value:
            assert corner == 1 and a == 0
        else:
            assert corner == 0 and abs(a - float(lawproof.numeric.mp_value(a_opt, env))) < 1e-6


def test_sweep_threshold_agrees_with_the_50_digit_value():
    v = variants.apply(PAPER, CLAIM, "R", "saturating")
    pb = sweep.problem(v.claim, v.theory)
    cols = sweep.run(pb, {"R0": np.array([1.5, 3.0]), "Rmax": np.array([4.0, 9.0]), "k": np.array([6.0, 3.0])},
                     workers=1, progress=False).columns
    tf = threshold.threshold_function(v.claim, v.theory)
    for r0, rmax, k, s_eff in zip(cols["R0"], cols["Rmax"], cols["k"], cols["S_c_eff"]):
        exact = threshold.effective_threshold(tf, {"R0": Fraction(r0), "Rmax": Fraction(rmax), "k": Fraction(k)})
        assert abs(s_eff - float(exact.value)) < 1e-8
        assert s_eff > 1 - 1 / r0 + 1e-3  # the learning curve lifts the threshold


def test_two_class_optimum(tmp_path):
    path = tmp_path / "two.claims.toml"
    path.write_text('''
[paper]
id = "two-class"
[symbols]
S  = "[0, 1]"
f1 = "[0, 1]"
R1 = "(1, oo)"
R2 = "(1, oo)"
a1 = "[0, 1)"
a2 = "[0, 1)"
[define]
"T(a1, a2)" = "S/(1 - a1 - a2) + f1/(1 + a1*(R1 - 1)) + (1 - S - f1)/(1 + a2*(R2 - 1))"
[[claim]]
id = "corner"
formula = "minimized_at(T(a1, a2), (a1, a2), (0, 0), a1 + a2 < 1)"
''')
    claim, theory = variants.load_claim(path, "corner")
    pb = sweep.problem(claim, theory)
    cols = sweep.run(pb, {"S": np.array([0.95, 0.2]), "f1": np.array([0.03, 0.4]),
                          "R1": np.array([2.0, 4.0]), "R2": np.array([2.0, 3.0])},
                     workers=1, progress=False).columns
    assert "S_c_eff" not in cols and set(cols) >= {"a_star_a1", "a_star_a2", "f_min", "corner"}
    assert cols["corner"][0] == 1 and cols["corner"][1] == 0
    a1, a2 = cols["a_star_a1"][1], cols["a_star_a2"][1]
    assert a1 > 0 and a2 > 0 and a1 + a2 < 1
    # the optimum found is a stationary point: the gradient of T vanishes there
    S, f1, R1, R2 = 0.2, 0.4, 4.0, 3.0
    g1 = S / (1 - a1 - a2) ** 2 - f1 * (R1 - 1) / (1 + a1 * (R1 - 1)) ** 2
    g2 = S / (1 - a1 - a2) ** 2 - (1 - S - f1) * (R2 - 1) / (1 + a2 * (R2 - 1)) ** 2
    assert abs(g1) < 1e-5 and abs(g2) < 1e-5


def test_json_and_plots(base, tmp_path):
    pb = base[2]
    points, axes = sweep.grid({"S": (0, 1, 12), "R": (1.1, 5, 10)})
    result = sweep.run(pb, points, workers=1, progress=False)
    result.axes = axes
    result.to_json(tmp_path / "s.json")
    data = json.loads((tmp_path / "s.json").read_text())
    assert data["label"] == sweep.LABEL and len(data["columns"]["a_star"]) == 120
    svg1 = phase_diagram(result, tmp_path / "p1.svg").read_bytes()
    svg2 = phase_diagram(result, tmp_path / "p2.svg").read_bytes()
    assert svg1 == svg2 and b"<svg" in svg1
    assert phase_diagram(result, tmp_path / "p.png").read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(lawproof.ClaimInputError, match="png or"):
        phase_diagram(result, tmp_path / "p.gif")


def test_cli_sweep(tmp_path, capsys):
    csv_path, plot = tmp_path / "out.csv", tmp_path / "curves.svg"
    args = ["sweep", str(PAPER), CLAIM, "--param", "R", "--family", "all", "--grid", "R0=1.1:4:9",
            "--csv", str(csv_path), "--plot", str(plot), "--workers", "1", "--quiet"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "not a proof" in out and "decreasing: S_c_eff - S_c in [0, 0]" in out
    linear = (tmp_path / "out-linear.csv").read_text().splitlines()
    assert linear[0] == "R0,g,S_c,S_c_eff" and len(linear) == 10
    assert plot.exists()
    assert main(["sweep", str(PAPER), CLAIM, "--grid", "S=0:1:3", "--quiet"]) == 2
    assert "no values for R" in capsys.readouterr().err


GENERIC = '''
[paper]
id = "generic"
title = "A claim that is not Amdahl's"

[symbols]
x = "[0, 1]"
p = "[0, 1]"
q = "[0, 2]"

[[claim]]
id = "vertex"
formula = "minimized_at((x - p)^2 + q, x, p)"
'''


def test_a_one_axis_sweep_of_any_claim_draws_the_minimizer(tmp_path, monkeypatch, capsys):
    from lawproof.explore import plots_sweep
    path = tmp_path / "g.claims.toml"
    path.write_text(GENERIC)
    drawn: dict = {}
    monkeypatch.setattr(plots_sweep, "line_plot", lambda curves, out, **kw: drawn.update(curves) or Path(out))
    args = ["sweep", str(path), "vertex", "--grid", "p=0:1:5", "--set", "q=1", "--plot",
            str(tmp_path / "one.svg"), "--workers", "1", "--quiet"]
    assert main(args) == 0
    xs, ys = drawn["minimizer"]
    assert np.allclose(xs, [0, 0.25, 0.5, 0.75, 1]) and np.allclose(ys, xs)
    assert "the claimed point is optimal at 100.0% of the points" in capsys.readouterr().out


def test_a_two_axis_sweep_of_any_claim_draws_a_phase_diagram(tmp_path):
    path = tmp_path / "g.claims.toml"
    path.write_text(GENERIC)
    plot = tmp_path / "two.svg"
    args = ["sweep", str(path), "vertex", "--grid", "p=0:1:4", "--grid", "q=0:2:3", "--plot", str(plot),
            "--workers", "1", "--quiet"]
    assert main(args) == 0 and b"<svg" in plot.read_bytes()


def test_a_one_axis_sweep_over_the_scan_parameter_draws_the_minimizer(tmp_path, monkeypatch):
    from lawproof.explore import plots_sweep
    drawn: dict = {}
    monkeypatch.setattr(plots_sweep, "line_plot", lambda curves, out, **kw: drawn.update(curves) or Path(out))
    common = ["--plot", str(tmp_path / "p.svg"), "--workers", "1", "--quiet"]
    # the threshold is a value of S: against S itself it would be a flat line
    assert main(["sweep", str(PAPER), CLAIM, "--grid", "S=0:1:5", "--set", "R=3"] + common) == 0
    assert set(drawn) == {"minimizer"}
    drawn.clear()
    assert main(["sweep", str(PAPER), CLAIM, "--grid", "R=1.1:4:5", "--set", "S=0.3"] + common) == 0
    assert set(drawn) == {"base model"}
