"""`--scheduler ADDRESS`: claims and sweeps on a Dask distributed cluster (issue 12),
against a local in-process cluster; the output is that of a serial run."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from lawproof.cli import main

distributed = pytest.importorskip("distributed", reason="the extra lawproof[distributed] is not installed")

PAPERS = Path(__file__).resolve().parent.parent / "papers"
PAPER = '''
[paper]
id = "cluster-toy"

[symbols]
x = "[0, 1]"
y = { domain = "(0, oo)", text = "a positive number" }

[define]
"f(x)" = "x*(1 - x)"

[[claim]]
id = "bounded"
formula = "f(x) <= 1/4"

[[claim]]
id = "too-tight"
formula = "f(x) <= 1/5"
expect = "fails"

[[claim]]
id = "am-gm"
formula = "y + 1/y >= 2"

[[claim]]
id = "unparsable"
formula = "x +* 1"
'''


@pytest.fixture(scope="module")
def scheduler():
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def _json(capsys, args: list[str]) -> tuple[int, dict]:
    code = main(args)
    payload = json.loads(capsys.readouterr().out)
    for paper in payload["papers"]:
        for r in paper["results"]:
            r["seconds"] = 0
            # z3's own timing inside the evidence
            r["evidence"]["tried"] = [re.sub(r"\[[0-9.]+ s\]", "", t) for t in r["evidence"]["tried"]]
    return code, payload


def test_check_on_a_cluster_is_a_serial_run(scheduler, tmp_path, capsys):
    path = tmp_path / "toy.claims.toml"
    path.write_text(PAPER)
    paths = [str(path), str(PAPERS / "race_to_efficiency.claims.toml")]
    serial = _json(capsys, ["check", "--json", "--no-cache", "--jobs", "1", *paths])
    remote = _json(capsys, ["check", "--json", "--no-cache", "--scheduler", scheduler, *paths])
    for mine, theirs in zip(remote[1]["papers"], serial[1]["papers"], strict=True):
        for a, b in zip(mine["results"], theirs["results"], strict=True):
            assert a == b, a["claim"]
    assert remote == serial
    assert serial[0] == 2  # the unparsable claim
    verdicts = [r["verdict"] for r in serial[1]["papers"][0]["results"]]
    assert verdicts == ["proved", "refuted", "proved", "error"]


def test_report_on_a_cluster_writes_the_same_bytes(scheduler, tmp_path, capsys):
    path = str(PAPERS / "race_to_efficiency.claims.toml")
    local, remote = tmp_path / "local", tmp_path / "remote"
    assert main(["report", "--no-cache", "--jobs", "1", path, "--out", str(local)]) == 0
    # results computed on the cluster are kept in the cache; the next run reads them
    cache = tmp_path / "cache"
    assert main(["report", "--cache", str(cache), "--scheduler", scheduler, path, "--out", str(remote)]) == 0
    assert main(["report", "--check", "--cache", str(cache), path, "--out", str(local)]) == 0
    capsys.readouterr()
    files = sorted(p.relative_to(local) for p in local.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(remote) for p in remote.rglob("*") if p.is_file())
    assert all((local / f).read_bytes() == (remote / f).read_bytes() for f in files)
    assert any(cache.rglob("*"))


def test_sweep_on_a_cluster(scheduler, tmp_path, capsys):
    common = ["sweep", str(PAPERS / "amdahl_modernized.claims.toml"), "collapse-sufficient",
              "--grid", "S=0:1:4", "--grid", "R=1.5:6:3", "--quiet"]
    assert main([*common, "--workers", "1", "--csv", str(tmp_path / "local.csv")]) == 0
    assert main([*common, "--scheduler", scheduler, "--csv", str(tmp_path / "remote.csv")]) == 0
    capsys.readouterr()
    assert (tmp_path / "local.csv").read_text() == (tmp_path / "remote.csv").read_text()


def test_an_unreachable_scheduler_is_a_plain_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("lawproof.cli.cluster.CONNECT_SECONDS", 0.5)
    path = tmp_path / "toy.claims.toml"
    path.write_text(PAPER)
    assert main(["check", "--scheduler", "tcp://127.0.0.1:9", str(path)]) == 1
    assert "cannot reach the Dask scheduler" in capsys.readouterr().err
