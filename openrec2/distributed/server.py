"""Start this process's ``tf.compat.v1.train.Server`` (the fused Adam kernel registered first)."""

from __future__ import annotations

from openrec2.distributed.cluster_config import ClusterConfig
from openrec2.ops.build import load_custom_op


def start_server(config: ClusterConfig):
    """Start the in-process gRPC server of ``config``'s task.

    The sparse lazy Adam update of a partitioned table runs where the partition lives, on
    a parameter server; its fused kernel (``openrec2/ops/sparse_lazy_adam.cc``) is therefore
    registered in *every* process before its server starts. Where the kernel is unavailable
    (``OPENREC2_CUSTOM_OPS=0``, no compiler) it is unavailable in every process alike and the
    workers build the plain TensorFlow-op update instead, which any server runs.

    Args:
        config: The cluster and this task.

    Returns:
        The ``tf.compat.v1.train.Server``.
    """
    import tensorflow.compat.v1 as tf

    load_custom_op('sparse_lazy_adam')
    return tf.train.Server(config.cluster_spec(), job_name=config.job, task_index=config.task,
                           config=tf.ConfigProto(intra_op_parallelism_threads=1, inter_op_parallelism_threads=2))


def serve_forever(config: ClusterConfig) -> None:
    """Run a parameter server until the process is stopped (the launcher or the user ends it)."""
    server = start_server(config)
    print(f'{config.name}: serving {config.cluster["ps"][config.task]}', flush=True)
    server.join()
