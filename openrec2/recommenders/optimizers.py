"""Optimisers chosen by name, with sparse (lazy) updates for embedding tables.

``tf.compat.v1.train.AdamOptimizer`` decays the moment estimates of *every* row of a
table on each step, even for a sparse gradient, so one step over a 1M-row table costs
as much as a dense update. :class:`LazyAdamOptimizer` updates only the rows present
in the gradient (as ``tf.contrib.opt.LazyAdamOptimizer`` did): a step costs time in
proportion to the rows touched. Dense variables get the ordinary Adam update.
"""

from __future__ import annotations

from typing import Optional, Union

import tensorflow.compat.v1 as tf

from openrec2.errors import UnknownOptionError, scoped


class LazyAdamOptimizer(tf.train.AdamOptimizer):
    """Adam whose sparse updates touch only the rows in the gradient.

    For rows that appear in a batch the update is Adam's; rows that do not appear keep
    their moments unchanged (instead of decaying them). Duplicate indices are summed
    before the update by the base class.
    """

    def _lazy_step(self, grad, var, indices, scatter_update, scatter_sub):
        beta1_power, beta2_power = self._get_beta_accumulators()
        dtype = var.dtype.base_dtype
        beta1_power = tf.cast(beta1_power, dtype)
        beta2_power = tf.cast(beta2_power, dtype)
        lr = tf.cast(self._lr_t, dtype)
        beta1 = tf.cast(self._beta1_t, dtype)
        beta2 = tf.cast(self._beta2_t, dtype)
        epsilon = tf.cast(self._epsilon_t, dtype)
        # Bias-corrected step size, as in Adam.
        step = lr * tf.sqrt(1.0 - beta2_power) / (1.0 - beta1_power)
        m = self.get_slot(var, "m")
        v = self.get_slot(var, "v")
        m_rows = beta1 * tf.gather(m, indices) + (1.0 - beta1) * grad
        v_rows = beta2 * tf.gather(v, indices) + (1.0 - beta2) * tf.square(grad)
        m_update = scatter_update(m, indices, m_rows)
        v_update = scatter_update(v, indices, v_rows)
        with tf.control_dependencies([m_update, v_update]):
            var_update = scatter_sub(var, indices, step * m_rows / (tf.sqrt(v_rows) + epsilon))
        return tf.group(var_update, m_update, v_update)

    def _resource_apply_sparse(self, grad, var, indices):
        def scatter_update(variable, idx, rows):
            return tf.raw_ops.ResourceScatterUpdate(resource=variable.handle, indices=idx, updates=rows)

        def scatter_sub(variable, idx, rows):
            return tf.raw_ops.ResourceScatterSub(resource=variable.handle, indices=idx, updates=rows)

        return self._lazy_step(grad, var, indices, scatter_update, scatter_sub)

    def _apply_sparse(self, grad, var):
        return self._lazy_step(grad.values, var, grad.indices,
                               lambda variable, idx, rows: tf.scatter_update(variable, idx, rows, use_locking=self._use_locking),
                               lambda variable, idx, rows: tf.scatter_sub(variable, idx, rows, use_locking=self._use_locking))


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
        UnknownOptionError: unknown name.
    """
    if isinstance(opt, tf.train.Optimizer):
        return opt
    if opt not in OPTIMIZERS:
        raise UnknownOptionError(scoped(scope, (
            f"unknown optimiser {opt!r}; valid names: {', '.join(sorted(OPTIMIZERS))}.")))
    factory, default_lr = OPTIMIZERS[opt]
    return factory(default_lr if lr is None else lr)
