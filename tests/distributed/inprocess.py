"""A parameter-server cluster inside the test process: one ``tf.train.Server`` per task on
free loopback ports (TensorFlow runs several servers in one process), stopped with the process."""

from openrec2.distributed import ClusterConfig, ClusterPlacement, free_ports
from openrec2.distributed.server import start_server


def inprocess_cluster(num_ps=2, num_workers=1):
    """Start every ps server; return ``(cluster dict, [ps servers])``."""
    ports = free_ports(num_ps + num_workers)
    cluster = {'ps': [f'127.0.0.1:{p}' for p in ports[:num_ps]],
               'worker': [f'127.0.0.1:{p}' for p in ports[num_ps:]]}
    servers = [start_server(ClusterConfig(cluster, 'ps', task)) for task in range(num_ps)]
    return cluster, servers


def worker_placement(cluster, task, mode='async', min_slice_bytes=256):
    """Start worker ``task``'s server and return its placement."""
    config = ClusterConfig(cluster, 'worker', task)
    return ClusterPlacement(config, start_server(config), mode=mode, min_slice_bytes=min_slice_bytes,
                            ready_timeout=60)
