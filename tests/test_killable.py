"""A call run in a forked child (lawproof.language.killable): its result and exceptions
come back, what its nets cut short is recorded here, it is killed at its net even
where it never looks at one, and its CPU seconds count on this process's clock."""
from __future__ import annotations

import os
from fractions import Fraction

import pytest

from lawproof.language.errors import OutsideFragment
from lawproof.language.killable import GRACE, in_child
from lawproof.language.timeout import ClaimLimit, SafetyNetHit, cpu, net, record, watching

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="a child is a fork")


def _burn_forever() -> None:
    while True:
        pass


def _burn(seconds: float) -> float:
    end = cpu() + seconds
    while cpu() < end:
        pass
    return seconds


def _children() -> float:
    t = os.times()
    return t.children_user + t.children_system


def test_the_result_comes_back():
    assert in_child(lambda: [(Fraction(1, 3), True), (Fraction(-7), False)], net(1, "a step")) \
        == [(Fraction(1, 3), True), (Fraction(-7), False)]


def test_an_exception_of_the_call_is_raised_here():
    def outside() -> None:
        raise OutsideFragment("z3 cannot take exp")
    with pytest.raises(OutsideFragment, match="cannot take exp"):
        in_child(outside, net(1, "a step"))


def test_what_the_child_records_is_recorded_here():
    def cut() -> int:
        record("a net in the child")
        return 1
    with watching() as fired:
        assert in_child(cut, net(1, "a step")) == 1
    assert fired == ["a net in the child"]


def test_the_child_is_killed_at_its_net_and_its_cpu_is_charged():
    start, children = cpu(), _children()
    with watching() as fired, pytest.raises(SafetyNetHit):
        in_child(_burn_forever, net(0.02, "a busy loop"))  # the net: 10 x 0.02 s
    spent = _children() - children
    assert 0.2 <= spent <= 0.2 + GRACE + 0.2
    assert cpu() - start >= spent  # counted on this process's clock
    assert fired == ["a busy loop ran past the safety net of 0.2 CPU seconds (10 x its budget of 0.02 s)"]


def test_the_claims_limit_kills_the_child_and_ends_the_claim():
    start = cpu()
    with watching() as fired, pytest.raises(SafetyNetHit), ClaimLimit(0.3).active("a test"):
        in_child(_burn_forever, net(100, "a busy loop"))
    assert cpu() - start <= 0.3 + GRACE + 0.2
    assert fired == ["the claim's limit of 0.3 CPU seconds ran out during a test"]


def test_a_childs_cpu_counts_against_the_claims_limit():
    # half the limit spent in a child, then the parent's Python work: stopped at the limit
    start = cpu()
    with pytest.raises(SafetyNetHit), ClaimLimit(0.4).active("a test"):
        assert in_child(lambda: _burn(0.2), net(100, "half")) == 0.2
        _burn_forever()
    assert 0.4 <= cpu() - start <= 0.4 + 0.2
    assert _children() > 0
