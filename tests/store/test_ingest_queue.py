"""Extraction runs a bounded number of documents ahead of the writer (back-pressure), in order."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from pantau.ingest.document import Skipped
from pantau.store.ingest import _extracted


class _Counted:
    """Inputs that remember how many the pool has taken."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.taken = 0
        self.lock = threading.Lock()

    def __iter__(self) -> Iterator[Skipped]:
        for index in range(self.count):
            with self.lock:
                self.taken += 1
            yield Skipped(f"input-{index}", "empty")


def test_extraction_waits_for_a_slow_writer() -> None:
    inputs = _Counted(400)
    ahead = 16
    results = _extracted(inputs, workers=2, ahead=ahead)
    consumed = []
    for item in results:
        consumed.append(item.source)
        if len(consumed) in (1, 50, 120):
            time.sleep(0.3)  # a slow write: the workers would run through the whole input meanwhile
            # a document is held back until its slot frees; one more may be waiting for it in the feeder
            assert inputs.taken <= len(consumed) + ahead + 1
    assert consumed == [f"input-{i}" for i in range(400)]


def test_an_abandoned_run_ends_its_workers() -> None:
    results = _extracted(_Counted(1000), workers=2, ahead=8)
    first = [next(results).source for _ in range(3)]
    results.close()  # the writer failed: the pool and its feeding thread must not hang
    assert first == ["input-0", "input-1", "input-2"]


def test_an_extracting_process_freezes_what_it_loaded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """After its first article a pool worker's loaded vocabularies and models are frozen for the collector, once;
    a document skipped before extraction freezes nothing, and neither does extraction in the main process."""
    import gc
    import multiprocessing

    from pantau import pipeline
    from pantau.ingest.document import Document
    from pantau.store.ingest import _extract

    frozen: list[int] = []
    monkeypatch.setattr(pipeline, "_settled", False)
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(1))
    _extract(Skipped("empty", "nothing"))
    assert frozen == []
    text = "Polisi menangkap seorang pengedar sabu di Banyuasin, Sumatera Selatan, Minggu (29/11/2020)."
    assert not isinstance(_extract(Document(id="main", source="test", text=text)), Skipped)
    assert frozen == []  # the main process (a one-process ingest) goes on to write: nothing frozen
    monkeypatch.setattr(multiprocessing, "parent_process", lambda: object())  # as in a pool worker
    for number in range(3):
        extracted = _extract(Document(id=str(number), source="test", text=text))
        assert not isinstance(extracted, Skipped)
    assert frozen == [1]


def _report_niceness(path: str, workers: int = 2) -> None:
    """A pool initializer: writes the worker's niceness (after the pool lowered it) to ``path``, then waits (up to
    a minute) for the other workers to have written theirs: on a loaded machine one worker can otherwise do every
    item before another is scheduled, and the pool ends it before its initializer has run."""
    import glob
    import os
    import time

    with open(f"{path}.{os.getpid()}", "w", encoding="ascii") as out:
        out.write(str(os.nice(0)))
    deadline = time.monotonic() + 60
    while len(glob.glob(f"{glob.escape(path)}.*")) < workers and time.monotonic() < deadline:
        time.sleep(0.01)


def test_extraction_processes_yield_the_cpu_to_the_writer(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The writer is the run's serial stage: workers run nicer than it, and a caller's initializer still runs."""
    import os
    from functools import partial

    from pantau.store.ingest import WORKER_NICENESS

    base = os.nice(0)
    results = list(_extracted(_Counted(40), workers=2, ahead=8,
                              initializer=partial(_report_niceness, str(tmp_path / "nice"))))
    assert len(results) == 40
    reported = [int(p.read_text()) for p in tmp_path.glob("nice.*")]
    assert len(reported) == 2
    assert all(value == min(base + WORKER_NICENESS, 19) for value in reported)
    assert os.nice(0) == base  # the writer's own priority is untouched
