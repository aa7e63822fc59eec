"""Checks that an SMT-LIB2 text lawproof produces is valid SMT-LIB 2.6: no bare
connective symbols (z3 prints an empty And as `and`), and cvc5 parses it; where cvc5
answers within a small per-query time limit, its answer must be z3's.

cvc5 runs in a child process: its Python API cannot be interrupted. One child checks
a whole batch (a new solver per text, a line of JSON per text, flushed), and a child
that hangs on one text is restarted after it, so one hard query costs one timeout.
"""
from __future__ import annotations

import json
import os
import re
import selectors
import subprocess
import sys
import time
from dataclasses import dataclass

#: cvc5's time limit per check-sat, in milliseconds
CVC5_QUERY_MS = 250
#: total seconds spent solving; past it the remaining texts are only parsed
CVC5_SOLVE_BUDGET = 30.0
#: seconds a child may go without finishing one text before it is restarted
CVC5_STALL_SECONDS = 10.0

_CHILD = r"""
import json, sys, time
import cvc5

job = json.loads(sys.stdin.read())
start = time.perf_counter()
for i, text in enumerate(job["texts"]):
    solve = job["solve"] and time.perf_counter() - start < job["budget"]
    tm = cvc5.TermManager()
    solver = cvc5.Solver(tm)
    quantified = "forall" in text or "exists" in text
    # cvc5's default logic (ALL) gives up on easy polynomial facts (shared/SOLVER-NOTES.md)
    solver.setLogic(("" if quantified else "QF_") + ("NIRA" if "Int" in text else "NRA"))
    solver.setOption("tlimit-per", str(job["ms"]))
    symbols = cvc5.SymbolManager(tm)
    parser = cvc5.InputParser(solver, symbols)
    parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, text, "artifact")
    answer, error = None, None
    try:
        while not (command := parser.nextCommand()).isNull():
            if command.getCommandName() == "check-sat" and not solve:
                continue
            said = command.invoke(solver, symbols).strip()
            if said:
                answer = said.split()[-1]
    except Exception as e:  # a parse error: the text is not SMT-LIB 2.6
        error = str(e)
    print(json.dumps({"i": i, "answer": answer, "error": error}), flush=True)
"""

_BARE = re.compile(r"(?<![(\w!.$?@~#%^&*+=<>/-])(and|or)(?![\w!.$?@~#%^&*+=<>/-])")


def bare_connectives(text: str) -> list[str]:
    """The lines of `text` that use `and`/`or` as a symbol rather than as the head of
    an application (`(not and)` instead of `(not true)`); comments and quoted symbols
    are ignored."""
    found = []
    for line in text.splitlines():
        code = re.sub(r'\|[^|]*\||"(?:[^"]|"")*"', "", line).split(";", 1)[0]
        if _BARE.search(code):
            found.append(line.strip())
    return found


@dataclass
class Replay:
    answer: str | None   # what cvc5 printed last (sat/unsat/unknown), None when not solved
    error: str | None    # why cvc5 rejected the text, None when it parsed


def replay_all(texts: list[str], *, solve: bool = True, query_ms: int = CVC5_QUERY_MS,
               budget: float = CVC5_SOLVE_BUDGET) -> list[Replay]:
    """cvc5 on each text, in order. A text on which the child stalls is parsed again
    without solving."""
    results: list[Replay | None] = [None] * len(texts)
    todo = list(range(len(texts)))
    parse_only: set[int] = set()
    deadline = time.perf_counter() + budget
    while todo:
        solving = solve and todo[0] not in parse_only
        left = max(0.0, deadline - time.perf_counter())
        batch = todo if solving else todo[:1]
        job = {"texts": [texts[i] for i in batch], "solve": solving and left > 0,
               "budget": left, "ms": query_ms}
        done = _run_child(job)
        for k, (answer, error) in enumerate(done):
            results[batch[k]] = Replay(answer, error)
        todo = todo[len(done):]
        if todo and len(done) < len(batch):
            if todo[0] in parse_only:  # stalled even without solving
                results[todo[0]] = Replay(None, "cvc5 did not finish parsing the text")
                todo = todo[1:]
            else:
                parse_only.add(todo[0])
    return [r for r in results if r is not None]


def _run_child(job: dict) -> list[tuple[str | None, str | None]]:
    """The answers the child gave before finishing or stalling."""
    proc = subprocess.Popen([sys.executable, "-c", _CHILD], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdin is not None and proc.stdout is not None
    done: list[tuple[str | None, str | None]] = []
    pending = b""
    sel = selectors.DefaultSelector()
    try:
        proc.stdin.write(json.dumps(job).encode())
        proc.stdin.close()
        sel.register(proc.stdout, selectors.EVENT_READ)
        while len(done) < len(job["texts"]):
            if not sel.select(timeout=CVC5_STALL_SECONDS):
                break
            chunk = os.read(proc.stdout.fileno(), 1 << 16)
            if not chunk:
                break
            *lines, pending = (pending + chunk).split(b"\n")
            for line in lines:
                row = json.loads(line)
                done.append((row["answer"], row["error"]))
    finally:
        sel.close()
        proc.kill()
        proc.wait()
        proc.stdout.close()
    return done
