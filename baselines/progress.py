"""Rich progress on stderr while a baseline trains (stdout stays free for results)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)


class TrainingProgress:
    """A bar over epochs or boosting rounds; `total=None` shows a spinner. Does nothing when disabled."""

    def __init__(self, description: str, total: int | None, *, enabled: bool = True) -> None:
        self.enabled = enabled
        self.description = description
        self.total = total
        self._progress: Progress | None = None
        self._task_id = None

    def start(self) -> None:
        if not self.enabled or self._progress is not None:
            return
        columns = [SpinnerColumn(), TextColumn("{task.description}")]
        if self.total is not None:
            columns += [BarColumn(), MofNCompleteColumn()]
        columns += [TimeElapsedColumn(), TextColumn("{task.fields[status]}")]
        self._progress = Progress(*columns, console=Console(stderr=True), transient=False)
        self._progress.start()
        self._task_id = self._progress.add_task(self.description, total=self.total, status="")

    def advance(self, steps: int = 1, status: str | None = None) -> None:
        if self._progress is not None:
            fields = {} if status is None else {"status": status}
            self._progress.update(self._task_id, advance=steps, **fields)

    def finish(self) -> None:
        """Mark the bar complete at what was done (training stopped early)."""
        if self._progress is not None:
            done = self._progress.tasks[0].completed
            self._progress.update(self._task_id, total=done, completed=done)

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


@contextmanager
def training_progress(description: str, total: int | None, *, enabled: bool = True) -> Iterator[TrainingProgress]:
    """`with training_progress("logreg", None) as bar: ...` — always stopped, even on errors."""
    bar = TrainingProgress(description, total, enabled=enabled)
    bar.start()
    try:
        yield bar
    finally:
        bar.stop()
