"""Concat: concatenate module outputs along an axis."""

from __future__ import annotations

from typing import Optional, Sequence

import tensorflow.compat.v1 as tf

from openrec2.modules.fusions.fusion import Fusion


class Concat(Fusion):
    """Concatenate the outputs of ``module_list`` along ``axis``.

    Args:
        module_list: Modules and/or tensors of compatible shapes.
        axis: Axis of concatenation.
        scope: Variable scope (default ``concat``).
        reuse: Reuse flag.
    """

    def __init__(self, module_list: Sequence, axis: int = 1, scope: Optional[str] = None, reuse=False):
        self._axis = axis
        super().__init__(module_list=module_list, scope=scope, reuse=reuse)

    def _build_shared_graph(self) -> None:
        self._outputs.append(tf.concat(self._inputs, axis=self._axis))
