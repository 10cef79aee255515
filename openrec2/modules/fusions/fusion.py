"""Base class of fusion modules (modules that combine other modules' outputs)."""

from __future__ import annotations

from typing import List, Optional, Sequence

import tensorflow.compat.v1 as tf

from openrec2.errors import MissingInputError, scoped
from openrec2.modules.module import Module


class Fusion(Module):
    """Combine the outputs of several modules (or tensors) into new outputs.

    Args:
        module_list: Modules (their outputs are used, in order) and/or tensors.
        train: Training or serving graph.
        l2_reg: L2 weight (fusions usually have no variables).
        scope: Variable scope.
        reuse: Reuse flag.

    Raises:
        MissingInputError: ``module_list`` yields no tensor at all.
    """

    def __init__(self, module_list: Sequence, train: bool = True, l2_reg: Optional[float] = None,
                 scope: Optional[str] = None, reuse=False):
        self._inputs = self.collect_tensors(module_list, scope or type(self).__name__)
        super().__init__(train=train, l2_reg=l2_reg, scope=scope, reuse=reuse)

    @staticmethod
    def collect_tensors(module_list: Sequence, scope: str) -> List[tf.Tensor]:
        """Flatten modules and tensors into the list of tensors to fuse.

        Args:
            module_list: Modules and/or tensors.
            scope: Scope for the error message.

        Returns:
            The tensors in order.

        Raises:
            MissingInputError: nothing to fuse.
        """
        tensors: List[tf.Tensor] = []
        for item in module_list or []:
            if isinstance(item, Module):
                tensors.extend(item.get_outputs())
            else:
                tensors.append(tf.convert_to_tensor(item))
        if not tensors:
            raise MissingInputError(scoped(scope, "`module_list` has no output to fuse; pass modules or tensors."))
        return tensors
