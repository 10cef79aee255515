"""Average: the weighted element-wise mean of module outputs."""

from __future__ import annotations

from typing import Optional, Sequence

import tensorflow.compat.v1 as tf

from openrec2.modules.fusions.fusion import Fusion


class Average(Fusion):
    """``weight * mean(outputs)``, element-wise over same-shaped outputs.

    Args:
        module_list: Modules and/or tensors of one shape.
        weight: Factor applied to the mean.
        scope: Variable scope (default ``average``).
        reuse: Reuse flag.
    """

    def __init__(self, module_list: Sequence, weight: float = 1.0, scope: Optional[str] = None, reuse=False):
        self._weight = weight
        super().__init__(module_list=module_list, scope=scope, reuse=reuse)

    def _build_shared_graph(self) -> None:
        self._outputs.append(self._weight * tf.add_n(self._inputs) / float(len(self._inputs)))
