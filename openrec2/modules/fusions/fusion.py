"""Base class of fusion modules (modules that combine other modules' outputs)."""

from __future__ import annotations

from typing import List, Optional, Sequence

import numpy as np
import tensorflow.compat.v1 as tf

from openrec2.errors import MissingInputError, UnknownOptionError, scoped
from openrec2.modules.module import Module


class Fusion(Module):
    """Combine the outputs of several modules (or tensors) into new outputs.

    The parameters are in legacy OpenRec's order (``train, l2_reg, scope, reuse``);
    ``module_list`` comes after them and is best given by keyword. A legacy subclass that
    sets ``self._module_list`` before calling this constructor may leave it out.

    Args:
        train: Training or serving graph.
        l2_reg: L2 weight (fusions usually have no variables).
        scope: Variable scope.
        reuse: Reuse flag.
        module_list: Modules (their outputs are used, in order) and/or tensors; default
            ``self._module_list`` when a subclass set one.

    Raises:
        UnknownOptionError: ``train`` is not a bool (e.g. a module list passed first, in
            an order that is not the legacy one).
        MissingInputError: ``module_list`` yields no tensor at all.
    """

    def __init__(self, train: bool = True, l2_reg: Optional[float] = None, scope: Optional[str] = None,
                 reuse=False, module_list: Optional[Sequence] = None):
        name = scope or type(self).__name__
        if not isinstance(train, (bool, np.bool_)):
            raise UnknownOptionError(scoped(name, (
                f"train must be True or False, got {type(train).__name__}; Fusion takes (train, l2_reg, scope, "
                "reuse) in the legacy order, so pass the modules as module_list=[...].")))
        if module_list is None:
            module_list = getattr(self, '_module_list', None)
            self._inputs = self.collect_tensors(module_list, name) if module_list else []
        else:
            self._inputs = self.collect_tensors(module_list, name)
        super().__init__(train=bool(train), l2_reg=l2_reg, scope=scope, reuse=reuse)

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
