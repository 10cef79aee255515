"""A plain-text progress bar for long training runs.

One line redrawn with a carriage return on a text stream (stderr by default), shown
only when that stream is a terminal unless forced, so logs and captured output stay
clean. No third-party dependency.
"""

from __future__ import annotations

import sys
import time
from typing import Optional, TextIO

_BAR_WIDTH = 24
_MIN_REDRAW_SECONDS = 0.2


class ProgressBar:
    """``[#######.........]  1200/5000  24%  410.3 it/s  eta 9s  loss 0.4312``.

    Args:
        total: Iteration the run ends at.
        start: Iteration the run starts from.
        enabled: ``True`` forces the bar, ``False`` hides it, ``None`` shows it only when
            ``stream`` is a terminal.
        stream: Where to draw (default ``sys.stderr``).
        min_interval: Seconds between redraws (the last update is always drawn).
    """

    def __init__(self, total: int, start: int = 0, enabled: Optional[bool] = None,
                 stream: Optional[TextIO] = None, min_interval: float = _MIN_REDRAW_SECONDS) -> None:
        self.stream = stream if stream is not None else sys.stderr
        if enabled is None:
            enabled = bool(getattr(self.stream, 'isatty', lambda: False)())
        self.enabled = bool(enabled)
        self.total = int(total)
        self.start = int(start)
        self.min_interval = float(min_interval)
        self._started_at = time.perf_counter()
        self._last_draw = float('-inf')
        self._line_length = 0

    def update(self, iteration: int, status: str = '') -> None:
        """Redraw the bar for ``iteration`` (throttled to ``min_interval``).

        Args:
            iteration: Iterations completed so far (absolute, like ``total``).
            status: Short text appended to the bar (e.g. the running loss).
        """
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self._last_draw < self.min_interval and iteration < self.total:
            return
        self._last_draw = now
        self._draw(self.render(iteration, now - self._started_at, status))

    def render(self, iteration: int, elapsed: float, status: str = '') -> str:
        """The text of the bar (without carriage return).

        Args:
            iteration: Iterations completed so far.
            elapsed: Seconds since the bar started.
            status: Text appended to the bar.

        Returns:
            One line of text.
        """
        span = max(1, self.total - self.start)
        done = min(max(iteration - self.start, 0), span)
        filled = int(_BAR_WIDTH * done / span)
        rate = done / elapsed if elapsed > 0 else 0.0
        eta = (span - done) / rate if rate > 0 else float('nan')
        eta_text = f'eta {eta:.0f}s' if eta == eta else 'eta ?'
        text = (f'[{"#" * filled}{"." * (_BAR_WIDTH - filled)}] {iteration}/{self.total} '
                f'{100 * done / span:3.0f}% {rate:.1f} it/s {eta_text}')
        return f'{text} {status}' if status else text

    def clear(self) -> None:
        """Erase the bar so a log line can be printed on a clean line."""
        if self.enabled and self._line_length:
            self.stream.write('\r' + ' ' * self._line_length + '\r')
            self.stream.flush()
            self._line_length = 0
            self._last_draw = float('-inf')  # redraw at the next update

    def close(self) -> None:
        """Erase the bar at the end of the run."""
        self.clear()

    def _draw(self, text: str) -> None:
        padding = ' ' * max(0, self._line_length - len(text))
        self.stream.write('\r' + text + padding)
        self.stream.flush()
        self._line_length = len(text)
