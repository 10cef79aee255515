"""IdentityMapping: pass a tensor through unchanged, as a module."""

from __future__ import annotations

from typing import Optional

import tensorflow.compat.v1 as tf

from openrec2.modules.extractions.extraction import Extraction


class IdentityMapping(Extraction):
    """Expose an existing tensor as a module output (so it can be fused or interacted).

    Args:
        value: A tensor (or array-like, converted to a tensor).
        scope: Variable scope (default ``identity_mapping``).
        reuse: Accepted for a uniform signature; the module has no variables.
    """

    def __init__(self, value, scope: Optional[str] = None, reuse=False):
        self._value = tf.convert_to_tensor(value)
        super().__init__(train=True, scope=scope, reuse=reuse)

    def _build_shared_graph(self) -> None:
        self._outputs.append(tf.identity(self._value))
