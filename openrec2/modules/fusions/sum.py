"""Sum: the element-wise sum of module outputs."""

from __future__ import annotations

from typing import Optional, Sequence

import tensorflow.compat.v1 as tf

from openrec2.modules.fusions.fusion import Fusion


class Sum(Fusion):
    """Element-wise sum of same-shaped outputs.

    Args:
        module_list: Modules and/or tensors of one shape.
        scope: Variable scope (default ``sum``).
        reuse: Reuse flag.
    """

    def __init__(self, module_list: Sequence, scope: Optional[str] = None, reuse=False):
        super().__init__(module_list=module_list, scope=scope, reuse=reuse)

    def _build_shared_graph(self) -> None:
        self._outputs.append(tf.add_n(self._inputs))
