"""Tests of the Sampler base: threads, ordering, failures, shutdown, argument checks."""

import gc
import threading

import numpy as np
import pytest
from sampler_fixtures import toy_dataset

from openrec2.errors import DTypeError, SamplerError, SettingError
from openrec2.utils.samplers import PairwiseSampler, Sampler


class IndexSampler(Sampler):
    """Emits its batch index and one draw of the batch generator; fails on request."""

    def __init__(self, *args, fail_at=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fail_at = fail_at

    def _make_batch(self, index, rng):
        if index == self.fail_at:
            raise KeyError('broken batch')
        return {'index': np.array([index]), 'draw': rng.integers(0, 10**9, size=1)}


def sampler_threads():
    return [t for t in threading.enumerate() if '-worker-' in t.name]


@pytest.mark.parametrize('num_process', [1, 3])
def test_batches_arrive_in_order_with_per_batch_generators(num_process):
    with IndexSampler(toy_dataset(), 4, num_process=num_process, seed=11, prefetch=2) as sampler:
        batches = [next(sampler) for _ in range(20)]
    assert [b['index'][0] for b in batches] == list(range(20))
    assert [b['draw'][0] for b in batches] == [np.random.default_rng([11, i]).integers(0, 10**9) for i in range(20)]


def test_worker_failure_raises_sampler_error_with_cause():
    sampler = IndexSampler(toy_dataset(), 4, num_process=2, fail_at=5)
    for _ in range(5):
        sampler.next_batch()
    with pytest.raises(SamplerError, match="failed while making batch 5: KeyError") as caught:
        sampler.next_batch()
    assert isinstance(caught.value.__cause__, KeyError)
    assert not sampler_threads()
    with pytest.raises(SamplerError, match='closed'):
        sampler.next_batch()


def test_close_joins_every_thread_and_iteration_works():
    before = set(threading.enumerate())
    sampler = PairwiseSampler(toy_dataset(), 8, num_process=3, prefetch=2)
    for count, batch in enumerate(sampler):
        if count == 10:
            break
    assert len(sampler_threads()) == 3
    sampler.close()
    assert set(threading.enumerate()) <= before
    with pytest.raises(SamplerError, match='the sampler is closed'):
        next(sampler)


def test_context_manager_closes():
    with PairwiseSampler(toy_dataset(), 8, num_process=2) as sampler:
        sampler.next_batch()
    assert not sampler_threads()


def test_no_thread_before_first_batch():
    sampler = PairwiseSampler(toy_dataset(), 8, num_process=2)
    assert not sampler_threads()
    sampler.close()


def test_legacy_argument_order_is_accepted():
    dataset = toy_dataset()
    sampler = PairwiseSampler(16, dataset)
    assert sampler.batch_size == 16 and sampler.dataset is dataset
    sampler.close()


def test_not_a_dataset_is_rejected():
    with pytest.raises(DTypeError, match='PairwiseSampler: dataset must be an openrec2.utils.Dataset'):
        PairwiseSampler(np.zeros(3), 4)


@pytest.mark.parametrize('kwargs,name', [({'batch_size': 0}, 'batch_size'), ({'num_process': 0}, 'num_process'),
                                         ({'seed': -1}, 'seed'), ({'prefetch': 0}, 'prefetch'),
                                         ({'batch_size': 2.5}, 'batch_size')])
def test_bad_sizes_are_rejected(kwargs, name):
    arguments = {'dataset': toy_dataset(), 'batch_size': 4, **kwargs}
    with pytest.raises(SettingError, match=f'`{name}` must be an integer'):
        PairwiseSampler(**arguments)


def test_dropped_sampler_stops_its_threads():
    sampler = PairwiseSampler(toy_dataset(), 8, num_process=2, prefetch=2)
    sampler.next_batch()
    threads = sampler_threads()
    assert len(threads) == 2
    del sampler
    gc.collect()
    for thread in threads:
        thread.join(timeout=10)
    assert not any(thread.is_alive() for thread in threads)


def test_shuffled_pass_rows_straddles_passes():
    from openrec2.utils.samplers.sampler import shuffled_pass_rows

    orders = {0: np.array([2, 0, 1]), 1: np.array([1, 2, 0])}
    np.testing.assert_array_equal(shuffled_pass_rows(2, 3, 3, orders.__getitem__), [1, 1, 2])
