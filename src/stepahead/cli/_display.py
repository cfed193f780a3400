"""What `stepahead` shows on stderr: a progress bar for long runs and a summary at the end."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from stepahead.matching import MatchResult, Participant

# Runs shorter than this finish before a bar would be worth drawing.
SHOW_AFTER_SECONDS = 1.0


class ProgressDisplay:
    """The engine's progress callback, drawn as a transient rich progress bar.

    The bar appears only once a run has lasted `delay` seconds (a timer, so it also appears
    while a solver is busy between two reports) and vanishes when the run ends."""

    def __init__(self, console: Console, *, enabled: bool, delay: float = SHOW_AFTER_SECONDS) -> None:
        self.console, self.enabled, self.delay = console, enabled, delay
        self._lock = threading.Lock()  # the timer thread starts the bar while the engine reports
        self._stage, self._fraction = "Starting", 0.0
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._closed = False
        self._timer: threading.Timer | None = None

    def __enter__(self) -> ProgressDisplay:
        if self.enabled and self.delay <= 0:
            self._show()
        elif self.enabled:
            self._timer = threading.Timer(self.delay, self._show)
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __call__(self, stage: str, fraction: float) -> None:
        with self._lock:
            self._stage, self._fraction = stage, min(max(fraction, 0.0), 1.0)
            if self._progress is not None and self._task is not None:
                self._progress.update(self._task, description=self._stage, completed=self._fraction)

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        with self._lock:
            self._closed = True
            if self._progress is not None:
                self._progress.stop()

    @property
    def shown(self) -> bool:
        return self._progress is not None

    def _show(self) -> None:
        with self._lock:
            if self._closed:
                return
            progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                TaskProgressColumn(),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
                # The result may be going to stdout: never route it through the live display.
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self._task = progress.add_task(self._stage, total=1.0)
            progress.update(self._task, completed=self._fraction)
            progress.start()
            self._progress = progress


def summary_table(result: MatchResult, people: Sequence[Participant]) -> Table:
    table = Table(title=f"stepahead match — {result.mode.value}", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column(justify="right")
    for label, value in summary_rows(result, people):
        table.add_row(label, value)
    return table


def summary_rows(result: MatchResult, people: Sequence[Participant]) -> list[tuple[str, str]]:
    """The run in a few numbers a programme manager reads first."""
    groups = _group_members(result)
    # Out of those who could be placed: everyone in peer and circles, those wanting a mentor otherwise.
    wanted = result.placed + len(result.unmatched)
    share = result.placed / wanted if wanted else 0.0
    rows = [
        ("Participants", f"{result.participants:,}"),
        ("Placed", f"{result.placed:,} ({share:.0%})"),
        ("Unmatched", f"{len(result.unmatched):,}"),
        (_GROUP_WORD[result.mode.value], f"{len(groups):,}"),
        ("Total score", f"{result.total_score:,.4f}"),
        ("Mean score", f"{result.total_score / len(groups):.4f}" if groups else "–"),
        ("Cross-function", _cross_function_share(groups, people)),
    ]
    if result.mode.is_mentoring:
        rows.append(("Spare mentor places", f"{_spare_places(result, people):,}"))
    if result.mentor_load is not None:
        load = result.mentor_load
        rows.append(("Mentors used", f"{load.used:,} of {load.mentors:,} (most {load.max})"))
        rows.append(("Load Gini", f"{load.gini:.2f} (top 10% hold {load.top10_share:.0%})"))
    rows += [("Time", f"{result.seconds:.2f} s"), ("Optimality", _optimality(result))]
    return rows


_GROUP_WORD = {
    "peer": "Pairs",
    "circles": "Circles",
    "traditional": "Matches",
    "reverse": "Matches",
    "open": "Matches",
}


def _group_members(result: MatchResult) -> list[tuple[str, ...]]:
    return [
        *((p.a, p.b) for p in result.pairs),
        *((m.mentor, m.mentee) for m in result.matches),
        *(c.members for c in result.circles),
    ]


def _cross_function_share(groups: list[tuple[str, ...]], people: Sequence[Participant]) -> str:
    """Share of groups that bring together at least two different (known) functions."""
    if not groups:
        return "–"
    function = {p.id: p.function for p in people}
    mixed = sum(len({function.get(i, "") for i in group} - {""}) > 1 for group in groups)
    return f"{mixed / len(groups):.0%}"


def _spare_places(result: MatchResult, people: Sequence[Participant]) -> int:
    """Mentor places nobody took: mentors with room are not 'unmatched', so they are counted here."""
    taken: dict[str, int] = {}
    for m in result.matches:
        taken[m.mentor] = taken.get(m.mentor, 0) + 1
    mentors = (p for p in people if p.role is not None and p.role.mentors)
    return sum(max(p.capacity - taken.get(p.id, 0), 0) for p in mentors)


def _optimality(result: MatchResult) -> str:
    found = result.optimality
    if found is None:
        return "not reported"
    if found.proven:
        return f"proven optimal ({found.method})"
    stopped = "stopped by the time limit: " if found.stopped else ""
    return f"{stopped}gap ≤ {found.gap:.2%} to bound {found.upper_bound:,.4f} ({found.method})"
