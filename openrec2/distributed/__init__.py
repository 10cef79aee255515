"""Parameter-server training on TensorFlow's distributed runtime.

- :mod:`~openrec2.distributed.cluster_config`: ``TF_CONFIG`` or ``--cluster/--job/--task``;
- :mod:`~openrec2.distributed.server`: each process's ``tf.train.Server``;
- :mod:`~openrec2.distributed.placement`: variables on the ps tasks, tables partitioned,
  async or ``SyncReplicasOptimizer`` training, chief initialisation;
- :mod:`~openrec2.distributed.sharding`: each worker's user shard (and knowledge-graph query shard);
- :mod:`~openrec2.distributed.task`: run one task (ps or worker);
- :mod:`~openrec2.distributed.launcher`: a local cluster on 127.0.0.1.

See ``docs/distributed.md``.
"""

from openrec2.distributed.cluster_config import ClusterConfig, from_flags, from_tf_config, resolve
from openrec2.distributed.launcher import LocalCluster, free_ports
from openrec2.distributed.placement import ClusterPlacement
from openrec2.distributed.sharding import shard_dataset, shard_graph, shard_split, shard_training_data, user_shard
from openrec2.distributed.task import run_task

__all__ = ['ClusterConfig', 'ClusterPlacement', 'LocalCluster', 'free_ports', 'from_flags', 'from_tf_config',
           'resolve', 'run_task', 'shard_dataset', 'shard_graph', 'shard_split', 'shard_training_data', 'user_shard']
