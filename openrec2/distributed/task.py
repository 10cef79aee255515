"""Run one task of a cluster: a parameter server, or a worker training through the experiment."""

from __future__ import annotations

from typing import Optional, TextIO

from openrec2.distributed.cluster_config import ClusterConfig
from openrec2.distributed.placement import DEFAULT_MIN_SLICE_BYTES, ClusterPlacement
from openrec2.distributed.server import serve_forever, start_server
from openrec2.errors import ClusterError, scoped


def run_task(config: ClusterConfig, model: str, dataset: str, settings=None, mode: str = 'async',
             min_slice_bytes: int = DEFAULT_MIN_SLICE_BYTES, log_stream: Optional[TextIO] = None):
    """Be ``config``'s task: serve variables (ps, until stopped) or train as a worker.

    A worker runs :func:`~openrec2.experiments.experiment.run_experiment` with a
    :class:`~openrec2.distributed.placement.ClusterPlacement`: the same model, data,
    trainer and run folder as ``python -m openrec2 train`` (the chief's), on its own
    user shard.

    Args:
        config: The cluster and this task.
        model: Registered model name.
        dataset: Dataset name.
        settings: :class:`~openrec2.experiments.experiment.ExperimentSettings`.
        mode: ``'async'`` or ``'sync'``.
        min_slice_bytes: Smallest part a table is cut into.
        log_stream: Stream of the training log.

    Returns:
        The worker's :class:`~openrec2.experiments.experiment.ExperimentResult` (metrics on
        the chief only); a parameter server never returns.

    Raises:
        ClusterError: a parameter server became unreachable during training.
    """
    import tensorflow.compat.v1 as tf

    from openrec2.experiments.experiment import run_experiment

    if config.job == 'ps':
        serve_forever(config)
        return None
    placement = ClusterPlacement(config, start_server(config), mode=mode, min_slice_bytes=min_slice_bytes)
    try:
        return run_experiment(model, dataset, settings, log_stream=log_stream, cluster=placement)
    except (tf.errors.UnavailableError, tf.errors.AbortedError) as err:
        raise ClusterError(scoped(config.name, (
            f'lost a task of the cluster ({type(err).__name__}: {err.message.splitlines()[0]}). A parameter '
            'server probably died: its variables are gone. Restart the ps tasks, then the chief with --resume '
            '(it restores the last checkpoint) and the other workers.'))) from err
    except tf.errors.FailedPreconditionError as err:
        raise ClusterError(scoped(config.name, (
            f'a variable on a parameter server is not initialised ({err.message.splitlines()[0]}): a ps task '
            'was restarted and lost its variables. Restart the chief with --resume to restore the last '
            'checkpoint.'))) from err
