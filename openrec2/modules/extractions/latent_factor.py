"""LatentFactor: a trainable embedding table, looked up by ids."""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np
import tensorflow as tf2
import tensorflow.compat.v1 as tf

from openrec2.errors import ShapeError, scoped
from openrec2.modules.array_initializer import array_initializer
from openrec2.modules.checks import require_tensor
from openrec2.modules.extractions.extraction import Extraction
from openrec2.modules.row_norms import normalize_rows, project_rows
from openrec2.validation import check_choice, check_int_list

#: Standard deviation of the 'normal' initialiser (truncated normal).
NORMAL_INIT_STDDEV = 0.01


def make_initializer(init, shape: Sequence[int], scope: str):
    """Translate an ``init`` option into a TensorFlow initializer.

    Args:
        init: ``'normal'`` (truncated normal, stddev 0.01), ``'zero'``, or a numpy array
            of exactly ``shape``.
        shape: Shape of the variable.
        scope: Scope of the module asking, for error messages.

    Returns:
        An initializer usable by ``tf.get_variable``.

    Raises:
        SettingError: ``init`` is an unknown string.
        ShapeError: an array ``init`` does not have ``shape``.
    """
    if isinstance(init, np.ndarray):
        if tuple(init.shape) != tuple(shape):
            raise ShapeError(scoped(scope, (
                f"`init` array has shape {init.shape} but the table is {tuple(shape)}. "
                "Pass an array of the table's shape.")))
        return array_initializer(init.astype(np.float32))
    # An array was handled above; a string must name a built-in initialiser.
    if check_choice(init, "init (or a numpy array of the table's shape)", scope, ["normal", "zero"]) == "normal":
        return tf.truncated_normal_initializer(stddev=NORMAL_INIT_STDDEV)
    return tf.zeros_initializer()


class LatentFactor(Extraction):
    """A trainable embedding table (one row per user or item).

    Outputs the rows of ``ids`` (or the whole table when ``ids`` is None). Its loss is
    ``l2_reg * l2_loss(looked-up rows)``, so regularisation only touches the rows of the
    batch and gradients stay sparse.

    Args:
        shape: ``[rows, dim]`` of the table.
        init: ``'normal'``, ``'zero'`` or a numpy array of ``shape``.
        ids: Integer tensor of row ids (any rank), or None for the whole table.
        l2_reg: L2 weight on the looked-up rows.
        scope: Variable scope (default ``latent_factor``).
        reuse: Share the table of an earlier LatentFactor with the same scope.

    Raises:
        SettingError: ``shape`` is not two positive ints, or an unknown ``init``.
        DTypeError: ``ids`` is not integer.
    """

    def __init__(self, shape: Sequence[int], init="normal", ids=None,
                 l2_reg: Optional[float] = None, scope: Optional[str] = None, reuse=False):
        scope_name = scope or "latent_factor"
        self._shape = check_int_list(shape, "shape", scope_name, length=2)
        self._init = init
        self._ids = ids
        if ids is not None:
            self._ids = require_tensor(ids, scope_name, "ids", integer=True)
        super().__init__(train=True, l2_reg=l2_reg, scope=scope, reuse=reuse)

    def _build_shared_graph(self) -> None:
        self._embedding = tf.get_variable(
            "embedding", shape=self._shape, dtype=tf.float32,
            initializer=make_initializer(self._init, self._shape, self._scope))
        if self._ids is None:
            output = tf.identity(self._embedding)
        elif not isinstance(self._embedding, tf2.Variable):  # a PartitionedVariable
            # A table split over parameter servers (openrec2.distributed): each part serves
            # its own rows and gets its own sparse gradient. TensorFlow's partitioners cut
            # rows into contiguous ranges, which is the 'div' strategy.
            output = tf.nn.embedding_lookup(self._embedding, self._ids, partition_strategy="div")
        else:
            output = tf.gather(self._embedding, self._ids)
        self._outputs.append(output)
        self._add_l2([output])

    @property
    def embedding(self) -> tf.Variable:
        """The embedding table variable (a ``tf.PartitionedVariable`` when a cluster placement
        partitions it, see :mod:`openrec2.distributed`)."""
        return self._embedding

    def censor_l2_norm_op(self, censor_id_list=None, max_norm: float = 1.0) -> tf.Operation:
        """Return an op that rescales rows so that their L2 norm is at most ``max_norm``.

        Rows already inside the ball are left unchanged.

        Args:
            censor_id_list: Integer tensor/array of row ids to censor; None for all rows.
            max_norm: The largest norm a row may keep.

        Returns:
            An operation; run it (e.g. after each training step) to apply the bound.
        """
        return self._rescale_rows_op(censor_id_list, lambda rows: project_rows(rows, max_norm), "_censor")

    def normalize_l2_norm_op(self, censor_id_list=None, norm: float = 1.0) -> tf.Operation:
        """Return an op that rescales rows to L2 norm exactly ``norm`` (onto the sphere).

        Unlike :meth:`censor_l2_norm_op`, short rows are lengthened too; all-zero rows
        stay zero.

        Args:
            censor_id_list: Integer tensor/array of row ids to rescale; None for all rows.
            norm: The norm every row gets.

        Returns:
            An operation; run it (e.g. after each training step) to apply the constraint.
        """
        return self._rescale_rows_op(censor_id_list, lambda rows: normalize_rows(rows, norm), "_normalize")

    def _rescale_rows_op(self, censor_id_list, rescale, suffix: str) -> tf.Operation:
        """An op writing ``rescale(rows)`` back to the listed rows (all rows for None)."""
        with tf.name_scope(self._scope + suffix):
            ids = None
            if censor_id_list is not None:
                ids = tf.unique(tf.reshape(tf.convert_to_tensor(censor_id_list, dtype=tf.int32), [-1]))[0]
            if isinstance(self._embedding, tf2.Variable):
                return _rescale_part(self._embedding, ids, rescale)
            # A partitioned table (a cluster placement): each part rescales the listed rows it holds.
            updates, offset = [], 0
            for part in self._embedding:
                size = int(part.shape[0])
                local = None
                if ids is not None:
                    local = tf.boolean_mask(ids, (ids >= offset) & (ids < offset + size)) - offset
                updates.append(_rescale_part(part, local, rescale))
                offset += size
            return tf.group(*updates)


def _rescale_part(table: tf.Variable, ids, rescale) -> tf.Operation:
    """Write ``rescale(rows)`` back to rows ``ids`` of one variable (every row for None)."""
    if ids is None:
        return table.assign(rescale(table.read_value())).op
    return tf.scatter_update(table, ids, rescale(tf.gather(table, ids))).op
