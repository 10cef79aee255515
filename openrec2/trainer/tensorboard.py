"""TensorBoard event files of a training run, written without the ``tensorboard`` package.

TensorFlow 2.21 does not install ``tensorboard``, and ``tf.summary`` then raises; the TF1
``tf.compat.v1.summary.FileWriter`` still writes event files without it. Summaries are
written as ``Summary`` protocol buffers built in Python, so no op joins the model's
finalised graph. :class:`~openrec2.ModelTrainer` writes, at every log point, the mean
loss of each objective (``loss/<objective>``), its learning rate
(``learning_rate/<objective>``) and the training speed (``examples_per_second``); at
every evaluation each metric of each split (``<split>/<metric>``, e.g.
``validation/NDCG@10``); and the model's graph once. Point TensorBoard at the folder::

    tensorboard --logdir RUN_DIR/tensorboard

Read the events back without TensorBoard with :func:`read_scalars`.
"""

from __future__ import annotations

import glob
import math
import os
from typing import Dict, List, Mapping, Optional, Tuple

import tensorflow.compat.v1 as tf

#: Folder of the event files inside a run folder.
TENSORBOARD_FOLDER = 'tensorboard'


class TensorBoardWriter:
    """Scalar summaries and the graph of one model, appended to an event file in ``logdir``.

    Args:
        logdir: Folder of the event files (created if needed).
        graph: The model's graph, written once (None: no graph).
    """

    def __init__(self, logdir: str, graph: Optional[tf.Graph] = None) -> None:
        self.logdir = os.fspath(logdir)
        os.makedirs(self.logdir, exist_ok=True)
        with (graph if graph is not None else tf.Graph()).as_default():  # FileWriter refuses eager mode
            self._writer = tf.summary.FileWriter(self.logdir, graph=graph)

    def scalars(self, step: int, values: Mapping[str, Optional[float]]) -> None:
        """Write scalar summaries at ``step`` (None and non-finite values are left out).

        Args:
            step: The training iteration.
            values: ``{tag: value}``.
        """
        kept = [tf.Summary.Value(tag=tag, simple_value=float(value)) for tag, value in values.items()
                if value is not None and math.isfinite(float(value))]
        if kept:
            self._writer.add_summary(tf.Summary(value=kept), global_step=int(step))

    def flush(self) -> None:
        """Write what is buffered to disk."""
        self._writer.flush()

    def close(self) -> None:
        """Flush and close the event file."""
        self._writer.close()


def read_scalars(logdir: str) -> Dict[str, List[Tuple[int, float]]]:
    """The scalar summaries of every event file in ``logdir``, by tag.

    Args:
        logdir: A folder :class:`TensorBoardWriter` wrote.

    Returns:
        ``{tag: [(step, value), ...]}`` in file and write order.
    """
    found: Dict[str, List[Tuple[int, float]]] = {}
    for path in sorted(glob.glob(os.path.join(os.fspath(logdir), 'events.out.tfevents.*'))):
        for event in tf.train.summary_iterator(path):
            for value in event.summary.value:
                if value.HasField('simple_value'):
                    found.setdefault(value.tag, []).append((int(event.step), float(value.simple_value)))
    return found


def has_graph(logdir: str) -> bool:
    """Whether an event file of ``logdir`` holds a graph."""
    return any(event.HasField('graph_def')
               for path in glob.glob(os.path.join(os.fspath(logdir), 'events.out.tfevents.*'))
               for event in tf.train.summary_iterator(path))
