"""The Module base class: one reusable piece of a TensorFlow graph.

A module's constructor takes tensors and settings and builds its part of the graph at
once, inside one variable scope (the legacy OpenRec contract). Subclasses implement the
build hooks and never open their own top-level scope nor thread ``reuse`` by hand.
"""

from __future__ import annotations

import re
from typing import List, Optional

import tensorflow.compat.v1 as tf

from openrec2.errors import VariableSharingError, scoped


def snake_case(name: str) -> str:
    """Turn a CamelCase class name into snake_case (``MultiLayerFC`` -> ``multi_layer_fc``).

    Args:
        name: A class name.

    Returns:
        The snake_case form.
    """
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower().lstrip("_")


class Module:
    """Base of every extraction, fusion and interaction.

    The constructor opens the module's variable scope once and runs, inside it,
    ``_build_shared_graph()`` and then ``_build_training_graph()`` when ``train`` is
    true, else ``_build_serving_graph()``. Hooks append tensors to ``self._outputs`` and
    add scalars to ``self._loss``.

    Args:
        train: Build the training graph (dropout on, batch norm in batch mode) or the
            serving graph.
        l2_reg: Weight of the L2 penalty the module adds to its loss (None for none).
        scope: Variable scope; defaults to the class name in snake_case.
        reuse: ``True``, ``False`` or ``tf.AUTO_REUSE``; ``False`` inherits the reuse
            flag of the enclosing scope, so modules built inside a recommender's
            serving graph reuse the training variables automatically.

    Raises:
        VariableSharingError: a variable was requested that does not exist yet (serving
            before training, or ``reuse=True`` on a fresh scope), or was created twice.
    """

    #: Default scope; None means the class name in snake_case.
    default_scope: Optional[str] = None

    @classmethod
    def default_scope_name(cls) -> str:
        """The scope a module of this class gets when none is given."""
        return cls.default_scope or snake_case(cls.__name__)

    def __init__(self, train: bool = True, l2_reg: Optional[float] = None,
                 scope: Optional[str] = None, reuse=False):
        self._train = bool(train)
        self._l2_reg = l2_reg
        self._scope = scope if scope is not None else self.default_scope_name()
        self._reuse = reuse
        self._outputs: List[tf.Tensor] = []
        self._graph = tf.get_default_graph()
        self._loss = tf.constant(0.0, dtype=tf.float32)
        try:
            with tf.variable_scope(self._scope, reuse=reuse if reuse else None) as var_scope:
                self._variable_scope = var_scope
                self._build_shared_graph()
                if self._train:
                    self._build_training_graph()
                else:
                    self._build_serving_graph()
        except VariableSharingError:
            raise  # already explained by a nested module
        except ValueError as err:
            text = str(err)
            if "does not exist" in text:
                raise VariableSharingError(scoped(self._scope, (
                    "asked to reuse a variable that was never created. Build the "
                    "training graph (train=True) before the serving graph, or pass "
                    f"reuse=False for a new scope. TensorFlow said: {text}"))) from err
            if "already exists" in text:
                raise VariableSharingError(scoped(self._scope, (
                    "a variable with this name already exists. Pass reuse=True to share "
                    "it, or give this module a different scope. "
                    f"TensorFlow said: {text}"))) from err
            raise

    # ----------------------------------------------------------------- build hooks
    def _build_shared_graph(self) -> None:
        """Build what training and serving share (usually variables)."""

    def _build_training_graph(self) -> None:
        """Build the training-only part (dropout, losses)."""

    def _build_serving_graph(self) -> None:
        """Build the serving-only part."""

    # ------------------------------------------------------------------ accessors
    def get_outputs(self) -> List[tf.Tensor]:
        """Return the module's output tensors.

        Returns:
            A list of tensors (possibly empty).
        """
        return list(self._outputs)

    def get_loss(self) -> tf.Tensor:
        """Return the module's loss, regularisation included.

        Returns:
            A scalar float32 tensor (0.0 when the module adds no loss).
        """
        return self._loss

    @property
    def scope(self) -> str:
        """The full variable-scope name of the module."""
        return self._variable_scope.name

    @property
    def train(self) -> bool:
        """Whether this instance is part of a training graph."""
        return self._train

    def get_variables(self, trainable_only: bool = False) -> List[tf.Variable]:
        """Return the variables created under this module's scope.

        Args:
            trainable_only: Only the trainable ones.

        Returns:
            A list of variables of the current default graph.
        """
        key = tf.GraphKeys.TRAINABLE_VARIABLES if trainable_only else tf.GraphKeys.GLOBAL_VARIABLES
        prefix = self.scope + "/"
        return [v for v in self._graph.get_collection(key) if v.op.name.startswith(prefix)]

    def _add_l2(self, tensors) -> None:
        """Add ``l2_reg * sum(l2_loss(t))`` over ``tensors`` to the module's loss."""
        if self._l2_reg:
            self._loss += self._l2_reg * tf.add_n([tf.nn.l2_loss(t) for t in tensors])

    def _add_l2_on_weights(self) -> None:
        """:meth:`_add_l2` over the module's trainable ``weights`` matrices (not biases)."""
        self._add_l2([v for v in self.get_variables(trainable_only=True) if v.op.name.endswith("weights")])
