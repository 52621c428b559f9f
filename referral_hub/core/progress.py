"""A dependency-free progress bar for long commands (imports, demo loads) on a terminal."""

from __future__ import annotations

import time
from typing import TextIO


class Progress:
    def __init__(self, *, total: int, label: str, stream: TextIO, width: int = 30) -> None:
        self.total, self.label, self.stream, self.width = max(total, 1), label, stream, width
        self.count = 0
        self._started = time.monotonic()
        self._last_draw = 0.0
        self._tty = stream.isatty()

    def advance(self, step: int = 1) -> None:
        self.count += step
        now = time.monotonic()
        if now - self._last_draw >= (0.1 if self._tty else 10.0) or self.count >= self.total:
            self._last_draw = now
            self._draw()

    def _draw(self) -> None:
        share = min(self.count / self.total, 1.0)
        filled = int(share * self.width)
        bar = "█" * filled + "·" * (self.width - filled)
        elapsed = time.monotonic() - self._started
        line = f"{self.label} [{bar}] {self.count}/{self.total} {share:5.1%} {elapsed:6.1f}s"
        self.stream.write(("\r" if self._tty else "") + line + ("" if self._tty else "\n"))
        self.stream.flush()

    def done(self) -> None:
        self._draw()
        if self._tty:
            self.stream.write("\n")
        self.stream.flush()
