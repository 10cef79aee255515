"""Which cluster a process belongs to and which task it is: ``TF_CONFIG`` or flags.

The convention is TensorFlow's: ``TF_CONFIG='{"cluster": {"ps": ["host:port", ...],
"worker": ["host:port", ...]}, "task": {"type": "worker", "index": 0}}'``. Worker 0 is
the chief (it initialises, checkpoints, evaluates and writes the history); a ``chief``
job is not used. The same facts can be given as ``--cluster JSON --job NAME --task N``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Mapping, Optional, Sequence

from openrec2.errors import SettingError, scoped

_SCOPE = 'cluster'
#: The jobs of a parameter-server cluster.
JOBS = ('ps', 'worker')


@dataclass(frozen=True)
class ClusterConfig:
    """A cluster (``{'ps': [addresses], 'worker': [addresses]}``) and this process's task in it.

    Attributes:
        cluster: Addresses (``host:port``) of each job's tasks.
        job: ``'ps'`` or ``'worker'``.
        task: Index of this task in its job.
    """

    cluster: Mapping[str, Sequence[str]]
    job: str
    task: int

    def __post_init__(self) -> None:
        check_cluster(self.cluster)
        if self.job not in JOBS:
            raise SettingError(scoped(_SCOPE, f'job must be one of {list(JOBS)}, got {self.job!r}.'))
        if isinstance(self.task, bool) or not isinstance(self.task, int) or not 0 <= self.task < len(self.cluster[self.job]):
            raise SettingError(scoped(_SCOPE, (
                f'task {self.task!r} is no {self.job} of the cluster: it has {len(self.cluster[self.job])} '
                f'{self.job} task(s), indexed 0..{len(self.cluster[self.job]) - 1}.')))

    @property
    def num_ps(self) -> int:
        """Number of parameter servers."""
        return len(self.cluster['ps'])

    @property
    def num_workers(self) -> int:
        """Number of workers."""
        return len(self.cluster['worker'])

    @property
    def is_chief(self) -> bool:
        """Whether this task is worker 0, the chief."""
        return self.job == 'worker' and self.task == 0

    @property
    def name(self) -> str:
        """``'ps0'``, ``'worker1'``, ...: the task's short name (log prefixes)."""
        return f'{self.job}{self.task}'

    def cluster_spec(self):
        """The ``tf.compat.v1.train.ClusterSpec`` of the cluster."""
        import tensorflow.compat.v1 as tf
        return tf.train.ClusterSpec({job: list(self.cluster[job]) for job in JOBS})

    def to_tf_config(self) -> str:
        """This config as a ``TF_CONFIG`` JSON string."""
        return json.dumps({'cluster': {job: list(self.cluster[job]) for job in JOBS},
                           'task': {'type': self.job, 'index': self.task}})


def check_cluster(cluster) -> None:
    """Refuse a cluster description that cannot run.

    Raises:
        SettingError: not a mapping of exactly the jobs ``ps`` and ``worker``, a job with
            no task, or an address that is not ``host:port``.
    """
    if not isinstance(cluster, Mapping):
        raise SettingError(scoped(_SCOPE, f'the cluster must map job names to address lists, got {cluster!r}.'))
    unknown = sorted(set(cluster) - set(JOBS))
    if unknown:
        raise SettingError(scoped(_SCOPE, (
            f'unknown job(s) {unknown}: a parameter-server cluster has jobs {list(JOBS)} (worker 0 is the chief; '
            'give no "chief" job).')))
    for job in JOBS:
        addresses = cluster.get(job)
        if not isinstance(addresses, (list, tuple)) or not addresses:
            raise SettingError(scoped(_SCOPE, f'the cluster needs at least one {job!r} address, got {addresses!r}.'))
        for address in addresses:
            host, _, port = str(address).rpartition(':')
            if not isinstance(address, str) or not host or not port.isdigit() or not 0 < int(port) < 65536:
                raise SettingError(scoped(_SCOPE, f'{job} address {address!r} is not "host:port".'))
        if len(set(addresses)) != len(addresses):
            raise SettingError(scoped(_SCOPE, f'the {job} addresses repeat one another: {list(addresses)}.'))
    shared = set(cluster['ps']) & set(cluster['worker'])
    if shared:
        raise SettingError(scoped(_SCOPE, f'address(es) {sorted(shared)} are given to a ps and a worker.'))


def from_tf_config(text: Optional[str] = None) -> Optional[ClusterConfig]:
    """Read ``TF_CONFIG`` (the environment variable unless ``text`` is given).

    Returns:
        The config, or None when ``TF_CONFIG`` is unset or empty.

    Raises:
        SettingError: not JSON, or no ``cluster`` / ``task`` of the expected form.
    """
    text = os.environ.get('TF_CONFIG', '') if text is None else text
    if not text.strip():
        return None
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as err:
        raise SettingError(scoped(_SCOPE, f'TF_CONFIG is not JSON ({err}): {text[:200]!r}')) from err
    task = parsed.get('task') if isinstance(parsed, dict) else None
    if not isinstance(task, dict) or 'type' not in task or 'index' not in task:
        raise SettingError(scoped(_SCOPE, (
            'TF_CONFIG needs "cluster" and "task": {"type": "ps" or "worker", "index": N}; got '
            f'{text[:200]!r}')))
    return ClusterConfig(parsed.get('cluster'), task['type'], task['index'])


def from_flags(cluster: Optional[str], job: Optional[str], task: Optional[int]) -> Optional[ClusterConfig]:
    """The config of ``--cluster JSON --job NAME --task N`` (None when none of them is given).

    Raises:
        SettingError: some but not all of the three are given, or the JSON is bad.
    """
    given = {'--cluster': cluster, '--job': job, '--task': task}
    if all(value is None for value in given.values()):
        return None
    missing = [flag for flag, value in given.items() if value is None]
    if missing:
        raise SettingError(scoped(_SCOPE, f'cluster training needs --cluster, --job and --task together; '
                                          f'{", ".join(missing)} missing.'))
    try:
        parsed = json.loads(cluster)
    except json.JSONDecodeError as err:
        raise SettingError(scoped(_SCOPE, (
            f'--cluster is not JSON ({err}); give e.g. \'{{"ps": ["host:2222"], "worker": ["host:2223"]}}\'.'))) from err
    return ClusterConfig(parsed, job, task)


def resolve(cluster: Optional[str] = None, job: Optional[str] = None, task: Optional[int] = None,
            tf_config: Optional[str] = None) -> Optional[ClusterConfig]:
    """The process's config from flags, else ``TF_CONFIG``; None: train in one process.

    Raises:
        SettingError: bad flags or ``TF_CONFIG``.
    """
    return from_flags(cluster, job, task) or from_tf_config(tf_config)
