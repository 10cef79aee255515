"""Optimisers chosen by name, with sparse (lazy) updates for embedding tables.

``tf.compat.v1.train.AdamOptimizer`` decays the moment estimates of *every* row of a
table on each step, even for a sparse gradient, so one step over a 1M-row table costs
as much as a dense update. :class:`LazyAdamOptimizer` updates only the rows present
in the gradient (as ``tf.contrib.opt.LazyAdamOptimizer`` did): a step costs time in
proportion to the rows touched. Dense variables get the ordinary Adam update.

The sparse step runs as one custom kernel (``openrec2/ops/sparse_lazy_adam.cc``, compiled
on first use) that sums repeated ids and updates the moments and the rows in one pass;
where the kernel is unavailable the same step is built from TensorFlow operations.
"""

from __future__ import annotations

from typing import Optional, Union

import tensorflow.compat.v1 as tf

from openrec2.errors import TrainingError, scoped
from openrec2.ops.build import load_custom_op
from openrec2.validation import check_choice, check_learning_rate


class LazyAdamOptimizer(tf.train.AdamOptimizer):
    """Adam whose sparse updates touch only the rows in the gradient.

    For rows that appear in a batch the update is Adam's; rows that do not appear keep
    their moments unchanged (instead of decaying them). Duplicate indices are summed
    before the update. For tables (vectors and matrices: embeddings, biases, dense
    weights) the two moment estimates live side by side in one slot ``mv`` of shape
    ``[rows, 2 * cols]`` (``[rows, 2]`` for a vector), so a sparse step touches one row
    of the slot per row of the table; other variables keep the usual ``m`` and ``v``
    slots.

    Sparse steps on ``mv`` tables use the fused CPU kernel ``openrec2/ops/sparse_lazy_adam.cc``
    when it is available and TensorFlow sees no GPU (``use_fused_kernel``).
    """

    def __init__(self, *args, use_fused_kernel: bool = True, **kwargs):
        """Arguments of ``tf.compat.v1.train.AdamOptimizer``; ``use_fused_kernel=False``
        builds the sparse step from TensorFlow operations even where the kernel exists."""
        super().__init__(*args, **kwargs)
        # The kernel is registered for the CPU only; with a GPU the tables may live there.
        on_cpu_only = not tf.config.list_physical_devices("GPU")
        self._kernel = load_custom_op("sparse_lazy_adam") if use_fused_kernel and on_cpu_only else None

    @property
    def uses_fused_kernel(self) -> bool:
        """Whether sparse steps run as the fused custom kernel."""
        return self._kernel is not None

    def _create_slots(self, var_list):
        tables = [v for v in var_list if v.shape.ndims in (1, 2)]
        others = [v for v in var_list if v.shape.ndims not in (1, 2)]
        if others:
            super()._create_slots(others)  # m, v (and the beta powers)
        elif var_list:
            first = min(var_list, key=lambda x: x.name)
            self._create_non_slot_variable(initial_value=self._beta1, name="beta1_power", colocate_with=first)
            self._create_non_slot_variable(initial_value=self._beta2, name="beta2_power", colocate_with=first)
        for var in tables:
            rows, cols = (var.shape.as_list() + [1])[:2]
            slot = self._get_or_make_slot_with_initializer(
                var, tf.zeros_initializer(), tf.TensorShape([rows, 2 * cols]), var.dtype.base_dtype,
                "mv", self._name)
            _fix_partition_slice(slot, var, cols)

    def _hyper(self, dtype):
        """Bias-corrected step size, beta1, beta2 and epsilon as ``dtype`` tensors."""
        beta1_power, beta2_power = (tf.cast(p, dtype) for p in self._get_beta_accumulators())
        lr, beta1, beta2, epsilon = (tf.cast(t, dtype) for t in (self._lr_t, self._beta1_t, self._beta2_t, self._epsilon_t))
        step = lr * tf.sqrt(1.0 - beta2_power) / (1.0 - beta1_power)
        return step, beta1, beta2, epsilon

    def _moments(self, m, v, grad, beta1, beta2):
        """Adam's moment updates."""
        return beta1 * m + (1.0 - beta1) * grad, beta2 * v + (1.0 - beta2) * tf.square(grad)

    def _resource_apply_dense(self, grad, var):
        mv = self.get_slot(var, "mv")
        if mv is None:
            return super()._resource_apply_dense(grad, var)
        step, beta1, beta2, epsilon = self._hyper(var.dtype.base_dtype)
        m, v = self._moments(*tf.split(mv, 2, axis=1), _as_rows(grad), beta1, beta2)
        mv_update = mv.assign(tf.concat([m, v], axis=1))
        var_update = var.assign_sub(tf.reshape(step * m / (tf.sqrt(v) + epsilon), tf.shape(var)))
        return tf.group(mv_update, var_update)

    def _resource_apply_sparse_duplicate_indices(self, grad, handle, indices):
        mv = self.get_slot(handle, "mv")
        if mv is None or self._kernel is None or handle.dtype.base_dtype not in (tf.float32, tf.float64):
            return super()._resource_apply_sparse_duplicate_indices(grad, handle, indices)
        step, beta1, beta2, epsilon = self._hyper(handle.dtype.base_dtype)
        return self._kernel.openrec2_sparse_lazy_adam(
            var=handle.handle, mv=mv.handle, indices=indices, grad=grad,
            step=step, beta1=beta1, beta2=beta2, epsilon=epsilon)

    def _resource_apply_sparse(self, grad, var, indices):
        step, beta1, beta2, epsilon = self._hyper(var.dtype.base_dtype)
        mv = self.get_slot(var, "mv")
        if mv is not None:
            m_rows, v_rows = self._moments(*tf.split(tf.gather(mv, indices), 2, axis=1), _as_rows(grad),
                                           beta1, beta2)
            moment_updates = [tf.raw_ops.ResourceScatterUpdate(
                resource=mv.handle, indices=indices, updates=tf.concat([m_rows, v_rows], axis=1))]
            m_rows, v_rows = (tf.reshape(rows, tf.shape(grad)) for rows in (m_rows, v_rows))
        else:
            m, v = self.get_slot(var, "m"), self.get_slot(var, "v")
            m_rows, v_rows = self._moments(tf.gather(m, indices), tf.gather(v, indices), grad, beta1, beta2)
            moment_updates = [tf.raw_ops.ResourceScatterUpdate(resource=slot.handle, indices=indices, updates=rows)
                              for slot, rows in ((m, m_rows), (v, v_rows))]
        var_update = tf.raw_ops.ResourceScatterSub(
            resource=var.handle, indices=indices, updates=step * m_rows / (tf.sqrt(v_rows) + epsilon))
        return tf.group(var_update, *moment_updates)

    def _apply_dense(self, grad, var):
        raise _needs_resource_variables(var)

    def _apply_sparse(self, grad, var):
        raise _needs_resource_variables(var)


def _fix_partition_slice(slot, var, cols: int) -> None:
    """Give the ``mv`` slot of one partition of a partitioned table (a parameter-server
    cluster, :mod:`openrec2.distributed`) the place it has in the whole slot.

    TensorFlow copies the partition's slice of the *table* (``[rows, cols]``) to its slots,
    which is wrong for ``mv`` (``[rows, 2 * cols]``): a Saver would refuse to build. The whole
    slot is named as the unpartitioned model names it, so a cluster's checkpoint loads into a
    single process and back. Unpartitioned variables have no slice and are left alone.
    """
    table_slice = getattr(var, "_save_slice_info", None)
    slot_slice = getattr(slot, "_save_slice_info", None)
    if table_slice is None or slot_slice is None:
        return
    slot._set_save_slice_info(tf.Variable.SaveSliceInfo(
        _whole_slot_name(slot, var, table_slice), [table_slice.full_shape[0], 2 * cols],
        [table_slice.var_offset[0], 0],
        [table_slice.var_shape[0], 2 * cols]))


def name_slots_as_whole_tables(optimizer: tf.train.Optimizer, variables) -> None:
    """Name every slot of a partitioned table's parts as one process names the whole slot.

    TensorFlow's slot creator derives a part's slot name by cutting the part's name off the
    front of the slot's name, which fails when the optimiser's variable scope comes first
    (``model/optimizer_default/model/user/embedding/part_0/Adagrad``): the saved name would
    be garbled and a cluster checkpoint would not load into one process. The slice geometry
    the slot creator set is kept; only the whole name is replaced.

    Args:
        optimizer: The optimiser after ``apply_gradients``.
        variables: The variables it updates (parts of partitioned tables among them).
    """
    for var in variables:
        table_slice = getattr(var, "_save_slice_info", None)
        if table_slice is None:
            continue
        for slot_name in optimizer.get_slot_names():
            slot = optimizer.get_slot(var, slot_name)
            slot_slice = getattr(slot, "_save_slice_info", None)
            if slot_slice is not None:
                slot_slice.full_name = _whole_slot_name(slot, var, table_slice)


def _whole_slot_name(slot, var, table_slice) -> str:
    """The name one process gives the slot of the whole table a part ``var`` belongs to."""
    return slot.op.name.replace(var.op.name, table_slice.full_name)


def _as_rows(values):
    """``values`` as a matrix: a vector's entries become one-column rows."""
    return values if values.shape.ndims == 2 else tf.reshape(values, [-1, 1])


def _needs_resource_variables(var) -> TrainingError:
    """The error for a legacy (ref) variable, which the lazy update cannot scatter into."""
    return TrainingError(scoped(var.op.name, (
        "LazyAdamOptimizer updates resource variables only (TensorFlow 2's default); a "
        "reference variable was given. Do not call tf.disable_resource_variables(), or "
        "choose opt='DenseAdam'.")))


#: Name -> (optimiser factory, default learning rate).
OPTIMIZERS = {
    "Adam": (LazyAdamOptimizer, 1e-3),
    "LazyAdam": (LazyAdamOptimizer, 1e-3),
    "DenseAdam": (tf.train.AdamOptimizer, 1e-3),
    "SGD": (tf.train.GradientDescentOptimizer, 0.05),
    "Adagrad": (tf.train.AdagradOptimizer, 0.05),
    "RMSProp": (tf.train.RMSPropOptimizer, 1e-3),
    "Momentum": (lambda lr: tf.train.MomentumOptimizer(lr, momentum=0.9), 0.01),
}


def make_optimizer(opt: Union[str, tf.train.Optimizer], lr: Optional[float] = None,
                   scope: str = "") -> tf.train.Optimizer:
    """Build an optimiser from its name.

    Args:
        opt: One of :data:`OPTIMIZERS` (``'Adam'`` is the lazy, sparse-aware Adam;
            ``'DenseAdam'`` is TensorFlow's), or an optimiser instance used as is.
        lr: Learning rate; None for the optimiser's default.
        scope: Model scope, for the error message.

    Returns:
        A ``tf.compat.v1.train.Optimizer``.

    Raises:
        SettingError: unknown name, or a learning rate that is not a number > 0.
    """
    if isinstance(opt, tf.train.Optimizer):
        return opt
    factory, default_lr = OPTIMIZERS[check_choice(opt, "opt", scope, sorted(OPTIMIZERS))]
    lr = check_learning_rate(lr, scope)
    return factory(default_lr if lr is None else lr)
