"""The HTML reports in a real browser: headless Chromium loads each page from disk,
with no network and no scripts, and must show math and plots without console errors."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy
import pytest
from matplotlib import image

import lawproof
from lawproof.report.writer import write_reports

from test_reports import TOY

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
COMMITTED = sorted((REPO / "reports").glob("*.html"))

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium found (Debian: apt-get install chromium; "
                                                          ".ci/run installs it)")


def _chromium(page: Path, profile: Path, *action: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", f"--user-data-dir={profile}",
         "--enable-logging=stderr", "--v=0", "--window-size=1200,2000", *action, page.as_uri()],
        capture_output=True, text=True, timeout=120)


def _console_problems(log: str) -> list[str]:
    """Console errors, uncaught exceptions and blocked loads (the page's CSP forbids any
    fetch, so a blocked load means the report tried to reach the network)."""
    return [ln for ln in log.splitlines() if "Uncaught" in ln or ":CONSOLE" in ln or "Refused to" in ln]


def _look(page: Path, tmp_path: Path) -> tuple[numpy.ndarray, str]:
    """Screenshot (RGB array) and DOM of `page` as Chromium renders it."""
    shot = tmp_path / "shot.png"
    proc = _chromium(page, tmp_path / "profile", f"--screenshot={shot}")
    assert proc.returncode == 0 and shot.is_file(), proc.stderr[-2000:]
    assert _console_problems(proc.stderr) == []
    dom = _chromium(page, tmp_path / "profile", "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert _console_problems(dom.stderr) == []
    return image.imread(shot)[:, :, :3], dom.stdout


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("claims")
    (folder / "toy.claims.toml").write_text(TOY)
    write_reports([lawproof.check_file(folder / "toy.claims.toml")], folder / "reports")
    return folder / "reports" / "toy-report.html"


def test_generated_report_shows_math_and_plots(generated, tmp_path):
    pixels, dom = _look(generated, tmp_path)
    assert pixels.std() > 0.05 and len(numpy.unique(pixels.reshape(-1, 3), axis=0)) > 100  # not blank
    # MathML survives parsing into the DOM (no script needed to render it)
    assert dom.count("<math") >= 10 and "<mfrac>" in dom and "<munder>" in dom
    assert dom.count("<svg") == 2
    # the phase diagram's blue shading is on screen: the plots rendered, not just parsed
    r, b = pixels[..., 0], pixels[..., 2]
    assert ((b - r > 0.25) & (b > 0.5)).sum() > 2000


@pytest.mark.parametrize("page", COMMITTED, ids=[p.name for p in COMMITTED])
def test_committed_reports_render(page, tmp_path):
    pixels, dom = _look(page, tmp_path)
    assert pixels.std() > 0.05
    assert dom.count("<math") == page.read_text().count("<math ")  # every formula reached the DOM
