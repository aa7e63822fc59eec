"""Shared fixtures: a small theory to parse formulas against."""
from __future__ import annotations

import pytest

import lawproof

AMDAHL_HEAD = '''
[paper]
id = "toy"
title = "Toy"

[symbols]
S = "[0, 1]"
R = "(1, oo)"
a = { domain = "[0, 1)", text = "allocation" }

[define]
"T(a)" = "S/(1 - a) + (1 - S)/(1 + a*(R - 1))"
S_c = "1 - 1/R"
'''


@pytest.fixture
def toy_text() -> str:
    return AMDAHL_HEAD


def claim_file(body: str, head: str = AMDAHL_HEAD) -> lawproof.ClaimFile:
    """Load a claim file made of the toy head and `body`."""
    return lawproof.loads(head + body, "toy.claims.toml")
