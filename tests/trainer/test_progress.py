"""Tests of the plain-text progress bar."""

import io

from openrec2.trainer.progress import ProgressBar


class FakeTty(io.StringIO):
    def isatty(self):
        return True


def test_hidden_on_a_non_terminal_stream_unless_forced():
    stream = io.StringIO()
    bar = ProgressBar(100, stream=stream)
    bar.update(50)
    bar.close()
    assert not bar.enabled and stream.getvalue() == ''
    forced = io.StringIO()
    bar = ProgressBar(100, stream=forced, enabled=True, min_interval=0)
    bar.update(50, 'loss 0.5')
    assert forced.getvalue().startswith('\r[############............] 50/100  50%') and 'loss 0.5' in forced.getvalue()


def test_shown_on_a_terminal_and_cleared():
    stream = FakeTty()
    bar = ProgressBar(10, start=5, stream=stream, min_interval=0)
    bar.update(10)
    assert bar.enabled and '10/10 100%' in stream.getvalue()
    bar.close()
    assert stream.getvalue().endswith('\r')  # the line was blanked for the next log line


def test_render_counts_from_start():
    bar = ProgressBar(200, start=100, enabled=False)
    text = bar.render(150, elapsed=5.0)
    assert text.startswith('[' + '#' * 12 + '.' * 12 + '] 150/200  50% 10.0 it/s eta 5s')
