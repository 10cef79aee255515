"""A whole cluster on this machine: ps and worker processes on 127.0.0.1, logs prefixed by task.

``python -m openrec2 cluster --ps 2 --workers 2 --model BPR --dataset ml-100k ...`` and
:class:`LocalCluster` start ``python -m openrec2 train ... --cluster JSON --job J --task N``
once per task on free loopback ports, print every line of their output as
``[worker0] ...``, wait for the chief (worker 0) to finish, and then stop every process
they started (also on an error, Ctrl-C, or when the Python process exits).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from typing import Dict, List, Optional, Sequence, TextIO, Tuple

from openrec2.distributed.cluster_config import ClusterConfig
from openrec2.errors import ClusterError, SettingError, scoped

_SCOPE = 'cluster'
#: Seconds a process gets to exit after SIGTERM before it is killed.
STOP_GRACE_SECONDS = 5.0


def free_ports(count: int, host: str = '127.0.0.1') -> List[int]:
    """``count`` distinct TCP ports the system reports free on ``host`` right now."""
    sockets = []
    try:
        for _ in range(count):
            one = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            one.bind((host, 0))
            sockets.append(one)
        return [one.getsockname()[1] for one in sockets]
    finally:
        for one in sockets:
            one.close()


class LocalCluster:
    """Launch, watch and stop a parameter-server cluster of local processes.

    Args:
        num_ps: Parameter servers.
        num_workers: Workers (worker 0 is the chief).
        train_args: Arguments of ``python -m openrec2 train`` (model, dataset, options).
        mode: ``'async'`` or ``'sync'``.
        log_stream: Where the prefixed logs go (default stdout).
        python: The interpreter (default this one).
        env: Environment of the processes (default this one's).
        host: Address of every task.

    Raises:
        SettingError: a count that is not a positive int.
    """

    def __init__(self, num_ps: int, num_workers: int, train_args: Sequence[str], mode: str = 'async',
                 log_stream: Optional[TextIO] = None, python: Optional[str] = None,
                 env: Optional[Dict[str, str]] = None, host: str = '127.0.0.1'):
        for name, value in (('ps', num_ps), ('workers', num_workers)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise SettingError(scoped(_SCOPE, f'--{name} must be a positive int, got {value!r}.'))
        ports = free_ports(num_ps + num_workers, host)
        self.cluster = {'ps': [f'{host}:{port}' for port in ports[:num_ps]],
                        'worker': [f'{host}:{port}' for port in ports[num_ps:]]}
        self.train_args, self.mode = list(train_args), mode
        self.log_stream = log_stream or sys.stdout
        self.python = python or sys.executable
        self.env = dict(os.environ if env is None else env)
        self.env.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')
        self.env['PYTHONUNBUFFERED'] = '1'
        self.processes: Dict[Tuple[str, int], subprocess.Popen] = {}
        self.started: List[subprocess.Popen] = []  # every process ever started (restarts too)
        self._lock = threading.Lock()
        self._readers: List[threading.Thread] = []
        atexit.register(self.stop)

    def config(self, job: str, task: int) -> ClusterConfig:
        """The :class:`ClusterConfig` of one task."""
        return ClusterConfig(self.cluster, job, task)

    def command(self, job: str, task: int, extra_args: Sequence[str] = ()) -> List[str]:
        """The command line of one task."""
        mode = ['--sync'] if self.mode == 'sync' else []
        return [self.python, '-m', 'openrec2', 'train', *self.train_args, *extra_args, *mode,
                '--cluster', json.dumps(self.cluster), '--job', job, '--task', str(task)]

    # ------------------------------------------------------------------ processes
    def start(self) -> 'LocalCluster':
        """Start every ps, then every worker."""
        for job in ('ps', 'worker'):
            for task in range(len(self.cluster[job])):
                self.start_task(job, task)
        return self

    def start_task(self, job: str, task: int, extra_args: Sequence[str] = ()) -> subprocess.Popen:
        """Start (or restart) one task; its output is streamed with the prefix ``[<job><task>]``.

        Raises:
            ClusterError: that task is still running.
        """
        running = self.processes.get((job, task))
        if running is not None and running.poll() is None:
            raise ClusterError(scoped(_SCOPE, f'{job}{task} is still running (pid {running.pid}); kill it first.'))
        process = subprocess.Popen(self.command(job, task, extra_args), stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, env=self.env, text=True, bufsize=1,
                                   start_new_session=True)
        self.processes[(job, task)] = process
        self.started.append(process)
        reader = threading.Thread(target=self._stream, args=(f'{job}{task}', process), daemon=True)
        reader.start()
        self._readers.append(reader)
        return process

    def _stream(self, name: str, process: subprocess.Popen) -> None:
        for line in process.stdout:
            with self._lock:
                self.log_stream.write(f'[{name}] {line}' if line.endswith('\n') else f'[{name}] {line}\n')
                self.log_stream.flush()

    def kill(self, job: str, task: int) -> None:
        """Kill one task at once (SIGKILL), as a crash would, and reap it."""
        process = self.processes[(job, task)]
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def wait(self, timeout: Optional[float] = None, poll: float = 0.5) -> int:
        """Wait for the chief to finish; the run ends with it.

        Returns:
            The chief's exit code.

        Raises:
            ClusterError: a parameter server exited (the run cannot go on), or ``timeout``
                seconds passed.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            chief = self.processes[('worker', 0)].poll()
            if chief is not None:
                return chief
            for task in range(len(self.cluster['ps'])):
                code = self.processes[('ps', task)].poll()
                if code is not None:
                    raise ClusterError(scoped(_SCOPE, (
                        f'parameter server ps{task} exited (code {code}); its variables are gone and the run '
                        'cannot go on. Start the cluster again with --resume to continue from the last checkpoint.')))
            if deadline is not None and time.monotonic() > deadline:
                raise ClusterError(scoped(_SCOPE, f'the chief did not finish within {timeout:.0f} s.'))
            time.sleep(poll)

    def stop(self) -> None:
        """Stop every process this cluster started: SIGTERM, then SIGKILL after a grace period."""
        alive = [process for process in self.started if process.poll() is None]
        for process in alive:
            with contextlib.suppress(ProcessLookupError):  # it exited meanwhile
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for process in alive:
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        for reader in self._readers:
            reader.join(timeout=2.0)

    def run(self, timeout: Optional[float] = None) -> int:
        """Start the cluster, wait for the chief, stop everything; the chief's exit code."""
        try:
            self.start()
            return self.wait(timeout)
        finally:
            self.stop()

    def __enter__(self) -> 'LocalCluster':
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
