"""Tests of log lines and metric tables."""

import io
import math

from openrec2.trainer.console import Console, format_metrics, format_value, metrics_table


def test_format_values_and_metrics():
    assert format_value(0.123456) == '0.1235' and format_value(math.nan) == 'nan' and format_value(None) == '-'
    assert format_metrics({'AUC': 0.9, 'Recall@10': 0.25}, keys=['Recall@10', 'MRR@10']) == 'Recall@10 0.2500'


def test_table_is_aligned():
    table = metrics_table([('test BPR', {'Recall@20': 0.33, 'AUC': 0.93}), ('test MostPopular', {'Recall@20': 0.17})],
                          keys=['Recall@20', 'AUC'], label='split / model')
    lines = table.splitlines()
    assert lines[0].split() == ['split', '/', 'model', 'Recall@20', 'AUC']
    assert lines[2].split() == ['test', 'BPR', '0.3300', '0.9300']
    assert lines[3].split() == ['test', 'MostPopular', '0.1700', '-']
    assert len({len(line) for line in lines}) == 1


def test_console_verbosity_and_hook():
    stream, calls = io.StringIO(), []
    console = Console(verbose=False, stream=stream, before_write=lambda: calls.append(1))
    console.info('hidden')
    console.warn('shown')
    assert 'hidden' not in stream.getvalue() and 'warning: shown' in stream.getvalue() and calls == [1]
    Console(stream=stream).step(10, 2.5, [('loss', None), ('0.5', None)])
    assert '[iter 10 | epoch 2.50]' in stream.getvalue() and 'loss 0.5' in stream.getvalue()
