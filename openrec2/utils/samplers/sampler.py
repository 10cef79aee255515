"""Sampler base class: batches made by background threads, in a reproducible order.

Batch ``i`` is always generated from its own generator
``np.random.default_rng([seed, i])``, so the stream depends only on the seed, never
on how many workers made it (the legacy sampler seeded once and then forked, so all
its workers emitted the same batches). Worker ``k`` of ``P`` makes batches
``k, k + P, k + 2P, ...`` into its own bounded queue and the consumer reads the queues
round-robin, which restores batch order without an unbounded reorder buffer.

Workers are threads, never processes: forking after a TensorFlow session exists is
unsafe, and the numpy work releases the GIL for most of its time.
"""

from __future__ import annotations

import math
import numbers
from functools import lru_cache
import queue
import threading
import weakref
from typing import Any, Callable, Optional

import numpy as np

from openrec2.errors import DataError, DTypeError, SamplerError, SettingError, scoped
from openrec2.utils.dataset import Dataset
from openrec2.utils.samplers.negatives import check_negatives_exist
from openrec2.validation import check_bool, check_int

Batch = dict[str, np.ndarray]

_POLL_SECONDS = 0.1
_JOIN_SECONDS = 5.0
#: Seconds :meth:`Sampler.next_batch` waits for one batch before a stuck worker is an error.
DEFAULT_BATCH_TIMEOUT = 600.0


class _WorkerFailure:
    """An exception a worker raised while making batch ``index``."""

    def __init__(self, error: BaseException, index: int) -> None:
        self.error = error
        self.index = index


class Sampler:
    """Base class of the training samplers (an iterator of dict batches).

    Subclasses implement :meth:`_make_batch` (and :meth:`_num_batches` when the stream
    is finite). Threads start on the first request; :meth:`close` (or leaving a
    ``with`` block) stops and joins them. One consumer thread reads a sampler.

    Batch ``i`` depends only on the seed and ``i``, so the stream's state is one number,
    :attr:`position` (the next batch to deliver): :meth:`seek` moves it, which is how a
    resumed training run continues with exactly the batches it would have had. A worker
    that delivers nothing for :attr:`timeout` seconds (a stuck computation) makes
    :meth:`next_batch` raise :class:`~openrec2.errors.SamplerError` instead of waiting
    forever.

    Args:
        dataset: The :class:`~openrec2.utils.Dataset` to sample from. For legacy
            scripts the order ``Sampler(batch_size, dataset)`` is accepted too.
        batch_size: Rows per batch.
        num_process: Number of worker threads (the legacy name is kept).
        seed: Non-negative seed of the whole stream.
        prefetch: Batches made ahead of the consumer (bounded queues, shared by workers).

    Raises:
        DTypeError: ``dataset`` is not a Dataset.
        SettingError: A non-positive ``batch_size`` / ``num_process`` /
            ``prefetch`` or a negative ``seed``.
    """

    def __init__(self, dataset: Dataset, batch_size: int, num_process: int = 1, seed: int = 100,
                 prefetch: int = 8) -> None:
        if isinstance(dataset, numbers.Integral) and isinstance(batch_size, Dataset):
            dataset, batch_size = batch_size, dataset  # legacy order (batch_size, dataset)
        self.scope = type(self).__name__
        if not isinstance(dataset, Dataset):
            raise DTypeError(scoped(self.scope, (
                f'dataset must be an openrec2.utils.Dataset, got {type(dataset).__name__}; wrap a '
                'structured array with ImplicitDataset(raw_data, max_user, max_item).')))
        self._dataset = dataset
        self._batch_size = check_int(batch_size, 'batch_size', self.scope)
        if isinstance(num_process, (bool, np.bool_)):  # a positional legacy call: (dataset, batch_size, chronological)
            raise SettingError(scoped(self.scope, (
                f'num_process must be a positive integer, got {num_process!r}: the third parameter is num_process '
                "here, where legacy OpenRec's PairwiseSampler / NPairwiseSampler had chronological; pass the legacy "
                'settings by keyword.')))
        self._num_process = check_int(num_process, 'num_process', self.scope)
        self._seed = check_int(seed, 'seed', self.scope, minimum=0)
        self._prefetch = check_int(prefetch, 'prefetch', self.scope)
        self._threads: list[threading.Thread] = []
        self._queues: list[queue.Queue] = []
        self._stop = threading.Event()
        self._next_index = 0
        self._started = False
        self._closed = False
        #: Seconds to wait for one batch before raising SamplerError (None: wait forever).
        self.timeout: Optional[float] = DEFAULT_BATCH_TIMEOUT

    # ------------------------------------------------------------------ subclass hooks
    def _make_batch(self, index: int, rng: np.random.Generator) -> Batch:
        """Make batch number ``index`` using only ``rng`` for randomness."""
        raise NotImplementedError(f'{type(self).__name__} must implement _make_batch')

    def _num_batches(self) -> Optional[int]:
        """Number of batches of a finite stream, or ``None`` for an endless one."""
        return self._num_chronological_batches()

    def _require_positive_pairs(self) -> None:
        """Keep the dataset's positive pairs (``_positive_users``, ``_positive_items``) for
        samplers that draw positives and negatives; fail early when they cannot.

        Raises:
            DataError: No positive, or a user has every item as positive.
        """
        if self.dataset.num_positives == 0:
            raise DataError(scoped(self.scope, f'dataset {self.dataset.name!r} has no positive interaction.'))
        check_negatives_exist(self.dataset, self.dataset.users, self.scope)
        self._positive_users, self._positive_items = self.dataset.positive_pairs()

    def _set_chronological(self, chronological: Optional[bool], positives_per_batch: int) -> None:
        """Legacy OpenRec's ``chronological`` setting of the positive-drawing samplers.

        True: the positives are the dataset's positive rows in dataset order (repeats
        kept, as legacy read ``dataset.data`` row by row), visited once, then the stream
        ends (legacy stopped there too; openrec2 also delivers the last partial batch,
        which legacy dropped). False or None: the sampler's own seeded scheme. Call after
        :meth:`_require_positive_pairs`.

        Args:
            chronological: The legacy setting (None: not given).
            positives_per_batch: Positive rows one batch takes.
        """
        self.chronological = bool(chronological is not None and check_bool(chronological, 'chronological',
                                                                           self.scope))
        if self.chronological:
            self._positive_users, self._positive_items = self.dataset.positive_rows()
            self._positives_per_batch = positives_per_batch

    def _chronological_rows(self, index: int) -> np.ndarray:
        """Rows of batch ``index`` of the single dataset-order pass."""
        start = index * self._positives_per_batch
        return np.arange(start, min(start + self._positives_per_batch, self._positive_users.size))

    def _num_chronological_batches(self) -> Optional[int]:
        """Batches of the dataset-order pass, or None when the stream is endless."""
        if not getattr(self, 'chronological', False):
            return None
        return max(1, math.ceil(self._positive_users.size / max(1, self._positives_per_batch)))

    # ------------------------------------------------------------------ properties
    @property
    def dataset(self) -> Dataset:
        """The dataset sampled from."""
        return self._dataset

    @property
    def batch_size(self) -> int:
        """Rows per batch."""
        return self._batch_size

    @property
    def seed(self) -> int:
        """Seed of the stream."""
        return self._seed

    @property
    def num_process(self) -> int:
        """Number of worker threads."""
        return self._num_process

    @property
    def batches_per_epoch(self) -> int:
        """Batches that cover the positive interactions once: ``ceil(#positives / batch_size)``
        (with legacy ``chronological=True``: the batches of its single pass)."""
        return self._num_chronological_batches() or max(1, math.ceil(self._dataset.num_positives / self._batch_size))

    def batch_rng(self, index: int) -> np.random.Generator:
        """The generator batch ``index`` is made from.

        Args:
            index: Batch number (0-based).

        Returns:
            ``np.random.default_rng([seed, index])``.
        """
        return np.random.default_rng([self._seed, index])

    # ------------------------------------------------------------------ workers
    def _start(self) -> None:
        per_queue = max(1, math.ceil(self._prefetch / self._num_process))
        self._queues = [queue.Queue(maxsize=per_queue) for _ in range(self._num_process)]
        self._stop = threading.Event()
        # Worker k makes the batches k, k + P, ... from the current position on.
        starts = [self._next_index + (k - self._next_index) % self._num_process for k in range(self._num_process)]
        # Workers hold the sampler only weakly, so a sampler dropped without close()
        # is still collected, and its __del__ stops the threads.
        self._threads = [threading.Thread(target=_work, daemon=True, name=f'{self.scope}-worker-{k}',
                                          args=(weakref.ref(self), starts[k], self._num_process,
                                                self._num_batches(), self._queues[k], self._stop))
                         for k in range(self._num_process)]
        self._started = True
        for thread in self._threads:
            thread.start()

    @property
    def position(self) -> int:
        """Index of the next batch :meth:`next_batch` delivers (batches delivered so far)."""
        return self._next_index

    def seek(self, position: int) -> None:
        """Continue the stream at batch ``position`` (workers restart there).

        Args:
            position: Index of the next batch to deliver (>= 0).

        Raises:
            SettingError: ``position`` is not an integer >= 0.
            SamplerError: The sampler is closed.
        """
        position = check_int(position, 'position', self.scope, minimum=0)
        if self._closed:
            raise SamplerError(scoped(self.scope, 'the sampler is closed; create a new one.'))
        if self._started:
            self._shutdown()
            self._started = False
        self._next_index = position

    # ------------------------------------------------------------------ consumer API
    def next_batch(self, timeout: Optional[float] = None) -> Batch:
        """The next batch of the stream.

        Args:
            timeout: Seconds to wait for it (None: :attr:`timeout`).

        Returns:
            Dict of numpy arrays keyed by model input names.

        Raises:
            StopIteration: A finite sampler has delivered all its batches.
            SamplerError: A worker failed (its exception is the ``__cause__``), delivered
                nothing within the timeout, or the sampler was closed.
        """
        if self._closed:
            raise SamplerError(scoped(self.scope, 'the sampler is closed; create a new one.'))
        total = self._num_batches()
        if total is not None and self._next_index >= total:
            self._shutdown()
            raise StopIteration
        if not self._started:
            self._start()
        worker = self._next_index % self._num_process
        source, thread = self._queues[worker], self._threads[worker]
        limit = self.timeout if timeout is None else timeout
        waited = 0.0
        while True:
            try:
                item = source.get(timeout=_POLL_SECONDS)
                break
            except queue.Empty:
                waited += _POLL_SECONDS
                if not thread.is_alive() and source.empty():
                    self.close()
                    raise SamplerError(scoped(self.scope, (
                        f'worker {worker} stopped before making batch {self._next_index}.'))) from None
                if limit is not None and waited >= limit:
                    self.close()
                    raise SamplerError(scoped(self.scope, (
                        f'worker {worker} delivered no batch within {limit:g} s (batch {self._next_index}); it is '
                        'stuck or far too slow. Raise the sampler\'s timeout if such batches are expected.'))) \
                        from None
        if isinstance(item, _WorkerFailure):
            self.close()
            raise SamplerError(scoped(self.scope, (
                f'worker {worker} failed while making batch {item.index}: '
                f'{type(item.error).__name__}: {item.error}'))) from item.error
        index, batch = item
        self._next_index = index + 1
        return batch

    def __next__(self) -> Batch:
        return self.next_batch()

    def __iter__(self) -> 'Sampler':
        return self

    def _shutdown(self) -> None:
        self._stop.set()
        for source in self._queues:  # unblock nothing-waiting puts quickly
            while True:
                try:
                    source.get_nowait()
                except queue.Empty:
                    break
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(timeout=_JOIN_SECONDS)
        self._threads = []

    def close(self) -> None:
        """Stop and join every worker thread; later requests raise SamplerError."""
        self._shutdown()
        self._closed = True

    def __enter__(self) -> 'Sampler':
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass


@lru_cache(maxsize=8)
def seeded_epoch_order(seed: int, epoch: int, size: int, stream_tag: int) -> np.ndarray:
    """The seeded random order of ``size`` rows in one epoch (pass) of a sampler, cached
    because consecutive batches read the same pass.

    Args:
        seed: The sampler's seed.
        epoch: Pass index.
        size: Rows per pass.
        stream_tag: Constant of the sampler kind, so kinds with one seed draw different orders.

    Returns:
        A permutation of ``range(size)``.
    """
    return np.random.default_rng([seed, epoch, stream_tag]).permutation(size)


def shuffled_pass_rows(first: int, count: int, total: int,
                       permutation_of: Callable[[int], np.ndarray]) -> np.ndarray:
    """Entries ``first, ..., first + count - 1`` of an endless stream of shuffled passes.

    The stream visits ``total`` rows in the order ``permutation_of(0)``, then
    ``permutation_of(1)``, and so on; a batch may straddle two passes.

    Args:
        first: Position of the first entry in the stream.
        count: Number of entries.
        total: Rows per pass.
        permutation_of: Pass index -> permutation of ``range(total)``.

    Returns:
        int64 ``[count]`` row ids.
    """
    start_pass, start = divmod(first, total)
    if start + count <= total:  # the usual case: the batch lies inside one pass
        return permutation_of(start_pass)[start:start + count].astype(np.int64, copy=False)
    passes, within = np.divmod(first + np.arange(count, dtype=np.int64), total)
    rows = np.empty(count, dtype=np.int64)
    for pass_index in range(int(passes[0]), int(passes[-1]) + 1):
        in_pass = passes == pass_index
        rows[in_pass] = permutation_of(pass_index)[within[in_pass]]
    return rows


def _put(out: queue.Queue, item: Any, stop: threading.Event) -> bool:
    """Put ``item`` unless ``stop`` is set first; returns whether it was put."""
    while not stop.is_set():
        try:
            out.put(item, timeout=_POLL_SECONDS)
            return True
        except queue.Full:
            continue
    return False


def _work(sampler_ref: 'weakref.ref[Sampler]', first: int, num_workers: int, total: Optional[int],
          out: queue.Queue, stop: threading.Event) -> None:
    """Worker loop: make batches ``first, first + num_workers, ...`` into ``out``."""
    index = first
    while not stop.is_set() and (total is None or index < total):
        sampler = sampler_ref()
        if sampler is None:
            return
        try:
            item = (index, sampler._make_batch(index, sampler.batch_rng(index)))
        except BaseException as error:  # handed to the consumer, re-raised there
            _put(out, _WorkerFailure(error, index), stop)
            return
        del sampler  # do not keep the sampler alive while blocked on a full queue
        if not _put(out, item, stop):
            return
        index += num_workers
