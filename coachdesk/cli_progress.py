"""A progress bar on stderr for long commands (export, import, reports), drawn only on a
terminal: a script or a pipe gets no control characters, only the command's result lines.

    with bar("importing") as step:
        merge.import_bundle(vault, path, step)     # step(fraction, stage)
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

Step = Callable[[float, str], None]

DELAY = 0.25
"""Seconds before the bar first shows: quick work never flickers a bar."""


class _Bar:
    def __init__(self, title: str, out: TextIO, delay: float) -> None:
        self.title = title
        self.delay = delay
        self.out = out
        self.started = time.monotonic()
        self.drawn = False

    def __call__(self, fraction: float, stage: str) -> None:
        if not self.drawn and time.monotonic() - self.started < self.delay:
            return
        width = shutil.get_terminal_size((80, 24)).columns
        fraction = min(max(fraction, 0.0), 1.0)
        cells = 20
        filled = round(fraction * cells)
        head = f"{self.title} [{'#' * filled}{'.' * (cells - filled)}] {fraction:4.0%} "
        line = (head + stage)[: max(width - 1, 10)]
        self.out.write("\r" + line.ljust(max(width - 1, 10)))
        self.out.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            width = shutil.get_terminal_size((80, 24)).columns
            self.out.write("\r" + " " * max(width - 1, 10) + "\r")
            self.out.flush()


def clear_line(out: TextIO | None = None) -> None:
    """Wipe a bar before a question is printed on its line (a terminal only)."""
    stream = out if out is not None else sys.stderr
    if stream.isatty():
        stream.write("\r\033[K")
        stream.flush()


def _quiet(fraction: float, stage: str) -> None:
    return None


@contextmanager
def bar(title: str, out: TextIO | None = None, delay: float = DELAY) -> Iterator[Step]:
    """A step callback that draws on `out` (stderr) when it is a terminal, else does nothing;
    the bar is wiped when the block ends, so the result line stands alone."""
    stream = out if out is not None else sys.stderr
    if not stream.isatty():
        yield _quiet
        return
    drawn = _Bar(title, stream, delay)
    try:
        yield drawn
    finally:
        drawn.close()
