"""The parameter-server placement of a recommender's graph (TensorFlow's own runtime).

Inside :func:`~openrec2.recommenders.graph_placement.placing` with a
:class:`ClusterPlacement`, a recommender

- puts its variables on the parameter servers with ``tf.train.replica_device_setter``
  (round robin, one variable at a time) and every other op on this worker;
- partitions its tables with ``tf.min_max_variable_partitioner`` into up to one part per
  parameter server (parts of at least ``min_slice_bytes``), so a 2-ps cluster holds half
  of each large table, with its Adam slot, on each server; lookups and the sparse lazy
  Adam update then run per part, on the server that holds it;
- in ``'sync'`` mode wraps each optimiser in ``tf.train.SyncReplicasOptimizer``, which
  averages one gradient from every worker per step (the chief runs the queue runner that
  applies them);
- opens its session on this process's ``tf.train.Server``; the chief initialises the
  variables (unless the servers already hold them, after a chief restart), the other
  workers wait for them;
- when the chief closes the model it leaves a mark in a queue on ps 0, and the other
  workers' trainers stop at their next check (:meth:`ClusterPlacement.chief_finished`):
  the run, or a phase of it such as ConvNCF's pretraining, ends with the chief.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from typing import List, Optional

import tensorflow.compat.v1 as tf

from openrec2.distributed.cluster_config import ClusterConfig
from openrec2.errors import ClusterError, SettingError, scoped
from openrec2.recommenders.graph_placement import GraphPlacement

#: Training modes.
MODES = ('async', 'sync')
#: Smallest part of a partitioned table (bytes): smaller variables are not split.
DEFAULT_MIN_SLICE_BYTES = 64 << 10
#: Tokens a worker leaving a sync run releases (steps the others may take without it).
RELEASE_TOKENS = 1 << 20
#: Room for the chief's "finished" marks (one per close; cleared when a chief starts).
FINISHED_CAPACITY = 1 << 10


def _mark_readiness_used(sync_optimizers) -> None:
    """``SyncReplicasOptimizer.apply_gradients`` builds a readiness report for its own session
    helpers, which this placement does not use; mark it used so that TensorFlow does not log
    "Object was never used" for it at exit."""
    for sync in sync_optimizers:
        getattr(getattr(sync, 'ready_for_local_init_op', None), 'mark_used', lambda: None)()


class ClusterPlacement(GraphPlacement):
    """Build and run a recommender's graph on a parameter-server cluster.

    Args:
        config: The cluster and this worker's task.
        server: This process's started ``tf.train.Server`` (see
            :func:`openrec2.distributed.server.start_server`).
        mode: ``'async'`` (each worker applies its own gradients) or ``'sync'``.
        min_slice_bytes: Smallest part a table is cut into.
        ready_timeout: Seconds a worker waits for the chief to initialise the variables.
        container: The resource container of the model's variables, queues and gradient
            accumulators on the ps tasks ('' the default one); see :meth:`phase`.

    Raises:
        SettingError: a ps task's config, an unknown mode, or a bad size.
    """

    def __init__(self, config: ClusterConfig, server, mode: str = 'async',
                 min_slice_bytes: int = DEFAULT_MIN_SLICE_BYTES, ready_timeout: float = 600.0, container: str = ''):
        if config.job != 'worker':
            raise SettingError(scoped('cluster', f'{config.name} is a parameter server: it serves variables and '
                                                 'builds no model (openrec2.distributed.server.serve_forever).'))
        if mode not in MODES:
            raise SettingError(scoped('cluster', f'mode must be one of {list(MODES)}, got {mode!r}.'))
        if isinstance(min_slice_bytes, bool) or not isinstance(min_slice_bytes, int) or min_slice_bytes < 1:
            raise SettingError(scoped('cluster', f'min_slice_bytes must be a positive int, got {min_slice_bytes!r}.'))
        self.config, self.server, self.mode = config, server, mode
        self.min_slice_bytes, self.ready_timeout, self.container = min_slice_bytes, ready_timeout, container
        self._sync_optimizers: List[tf.train.SyncReplicasOptimizer] = []
        self._threads: List[threading.Thread] = []
        self._coordinator: Optional[tf.train.Coordinator] = None

    @property
    def is_chief(self) -> bool:
        """Whether this worker is the chief (worker 0)."""
        return self.config.is_chief

    @property
    def worker_device(self) -> str:
        """This worker's device (``/job:worker/task:N``)."""
        return f'/job:worker/task:{self.config.task}'

    def phase(self, name: str) -> 'ClusterPlacement':
        """The placement of another model the same processes train before this one (ConvNCF's
        BPR pretraining): the same cluster, server and mode, with the model's resources in
        their own container ``name`` on the ps tasks. Without it the two models would share
        whatever they name alike: the sync token queue (``sync_token_q``, where a finished
        phase leaves its spare tokens) and the global step's and accumulators' state.

        Raises:
            SettingError: ``name`` is not a TensorFlow container name (a letter, digit or dot,
                then letters, digits, '-', '.' or '/'; no underscore).
        """
        if not isinstance(name, str) or not re.fullmatch(r'[A-Za-z0-9.][A-Za-z0-9.\-/]*', name):
            raise SettingError(scoped('cluster', f'phase name {name!r} is not a TensorFlow container name: use a '
                                                 "letter, digit or dot, then letters, digits, '-', '.' or '/'."))
        return ClusterPlacement(self.config, self.server, self.mode, self.min_slice_bytes, self.ready_timeout,
                                container=name)

    # ------------------------------------------------------------------ build hooks
    @contextlib.contextmanager
    def device_scope(self):
        """``tf.device`` of ``replica_device_setter`` (variables on the ps tasks, ops here) in
        the placement's resource container."""
        setter = tf.train.replica_device_setter(cluster=self.config.cluster_spec(), worker_device=self.worker_device)
        with tf.device(setter), tf.container(self.container):
            yield

    def partitioner(self):
        """Up to one part per parameter server, each at least :attr:`min_slice_bytes`."""
        return tf.min_max_variable_partitioner(max_partitions=self.config.num_ps, min_slice_size=self.min_slice_bytes)

    def wrap_optimizer(self, optimizer, objective: str):
        """In sync mode, a ``SyncReplicasOptimizer`` over ``optimizer`` aggregating every worker."""
        if self.mode == 'async':
            return optimizer
        if self._sync_optimizers:
            # Each objective would aggregate on its own, and a worker may run ahead of another (it can take
            # two tokens of a step), so one would wait in objective A for the other, waiting in B.
            _mark_readiness_used(self._sync_optimizers)
            first = self._sync_optimizers[0].get_name().replace('sync_replicas_', '')
            raise SettingError(scoped('cluster', (
                f'sync mode averages one gradient of every worker per step of one objective; this model trains '
                f'several ({first!r}, {objective!r}, ...) in turn, and workers that reach a switch at different '
                'steps would wait for each other forever. Train it in async mode (without --sync).')))
        workers = self.config.num_workers
        sync = tf.train.SyncReplicasOptimizer(optimizer, replicas_to_aggregate=workers, total_num_replicas=workers,
                                              name=f'sync_replicas_{objective}')
        self._sync_optimizers.append(sync)
        return sync

    def prepare(self, graph) -> None:
        """Build the readiness check, the local initialiser and the sync-mode chief ops."""
        with tf.device(self.worker_device):
            self._uninitialized = tf.report_uninitialized_variables(tf.global_variables())
            self._local_init = tf.local_variables_initializer()
        _mark_readiness_used(self._sync_optimizers)
        self._chief_ops = []
        self._queue_runners = []
        for sync in self._sync_optimizers:
            self._queue_runners.append(sync.get_chief_queue_runner())
            self._chief_ops.append((sync.chief_init_op, sync.get_init_tokens_op()))
        self._local_step_inits = [sync.local_step_init_op for sync in self._sync_optimizers]
        self._release = [sync.get_init_tokens_op(num_tokens=RELEASE_TOKENS) for sync in self._sync_optimizers]
        # A queue, not a variable: it is in no checkpoint and needs no initialisation.
        with tf.device('/job:ps/task:0'), tf.container(self.container):
            finished = tf.FIFOQueue(FINISHED_CAPACITY, tf.bool, shapes=[], shared_name='openrec2_chief_finished',
                                    name='chief_finished')
            self._finished_size = finished.size()
            self._mark_finished = finished.enqueue(True)
            self._clear_finished = finished.dequeue_up_to(tf.maximum(self._finished_size, 1))

    def finish(self, sess) -> None:
        """A worker leaving a sync run puts spare tokens in the token queue, so the workers still
        training never wait for its gradient: they go on alone (the accumulator takes two
        gradients of one worker as well as one of each). Async runs need nothing."""
        if self._sync_optimizers and not getattr(sess, '_closed', False):
            with contextlib.suppress(tf.errors.OpError):  # the servers are gone already: nobody is waiting
                sess.run(self._release)
        if self.is_chief and not getattr(sess, '_closed', False):
            with contextlib.suppress(tf.errors.OpError):
                sess.run(self._mark_finished)
        if self._coordinator is not None:
            self._coordinator.request_stop()

    def chief_finished(self, sess) -> bool:
        """Whether the chief has closed this model (always False on the chief itself)."""
        return not self.is_chief and int(sess.run(self._finished_size)) > 0

    def restored(self, sess) -> None:
        """After the chief restored a checkpoint in a sync run, the global step is the
        checkpoint's, behind the gradient accumulators' own step (they count the steps taken
        since): every gradient would then be stale and dropped, and the run would wait
        forever. Reset the accumulators and this worker's local step to the restored step.
        The other workers' local steps are at least that, so their gradients still count."""
        if self.is_chief and self._sync_optimizers:
            sess.run(self._local_step_inits)
            sess.run([chief_init for chief_init, _ in self._chief_ops])

    # ------------------------------------------------------------------ session
    def session_config(self, config=None):
        """The session config: this worker talks to the ps tasks only (so a dead peer worker
        never blocks it)."""
        config = config or tf.ConfigProto()
        config = tf.ConfigProto.FromString(config.SerializeToString())
        del config.device_filters[:]
        config.device_filters.extend(['/job:ps', self.worker_device])
        return config

    def start_session(self, graph, init_op, init_feeds: dict, config):
        """Open the session on the server; initialise (chief) or wait for the variables.

        Raises:
            ClusterError: a parameter server is unreachable, or the chief did not
                initialise the variables within ``ready_timeout`` seconds.
        """
        sess = tf.Session(self.server.target, graph=graph, config=self.session_config(config))
        try:
            if self.is_chief:
                if sess.run(self._finished_size):  # the mark of an earlier run on the same servers
                    sess.run(self._clear_finished)
                if len(sess.run(self._uninitialized)):
                    sess.run(init_op, feed_dict=init_feeds)
                else:  # a restarted chief: the servers kept the variables; the trainer may restore a checkpoint
                    sess.run(self._local_init)
            else:
                self._wait_until_ready(sess)
                sess.run(self._local_init)
            sess.run(self._local_step_inits)
            if self.is_chief and self._sync_optimizers:
                for chief_init, tokens in self._chief_ops:
                    sess.run(chief_init)
                    sess.run(tokens)
                self._coordinator = tf.train.Coordinator()
                for runner in self._queue_runners:
                    self._threads += runner.create_threads(sess, coord=self._coordinator, daemon=True, start=True)
        except tf.errors.UnavailableError as err:
            sess.close()
            raise ClusterError(scoped(self.config.name, (
                f'a parameter server of {list(self.config.cluster["ps"])} is unreachable: '
                f'{err.message.splitlines()[0]}. Start every ps task first (or check the addresses).'))) from err
        return sess

    def _wait_until_ready(self, sess) -> None:
        deadline = time.monotonic() + self.ready_timeout
        while len(sess.run(self._uninitialized)):
            if time.monotonic() > deadline:
                raise ClusterError(scoped(self.config.name, (
                    f'the chief (worker 0) did not initialise the variables within {self.ready_timeout:.0f} s; '
                    'start it (or look at its log for an error).')))
            time.sleep(0.5)
