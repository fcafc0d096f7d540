"""Progress bars on standard error (Rich), shared by the library and the CLI."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager


def no_progress(label: str = "") -> None:
    """The ``advance`` of a progress bar that is not shown: does nothing."""


@contextmanager
def progress_steps(total: int, description: str, enabled: bool | Callable[[str], None] = True) -> Iterator[Callable[[str], None]]:
    """A Rich progress bar of ``total`` steps; yields ``advance(label)`` (:func:`no_progress` when not ``enabled``).

    ``enabled`` may also be a function of the step's label: it is then called
    after each step instead of drawing a bar (raising in it stops the work).
    """
    if callable(enabled):
        yield enabled
        return
    if not enabled:
        yield no_progress
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as progress:
        task = progress.add_task(description, total=total)

        def advance(label: str) -> None:
            progress.update(task, advance=1, description=f"{description} {label}")

        yield advance


class DownloadBar:
    """A Rich byte-progress bar with the interface ``pooch`` expects of a progress bar.

    pooch sets ``total``, calls ``update(bytes)`` per chunk, then ``reset()`` and ``close()``.
    """

    def __init__(self, description: str):
        from rich.console import Console
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

        console = Console(stderr=True)
        self._progress = Progress(
            TextColumn(description), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
            console=console, transient=True, disable=not console.is_terminal,
        )
        self._task = self._progress.add_task(description, total=None)
        self._progress.start()
        self.total = None

    def update(self, size: int) -> None:
        self._progress.update(self._task, advance=size, total=self.total)

    def reset(self) -> None:
        self._progress.reset(self._task, total=self.total)

    def close(self) -> None:
        self._progress.stop()
