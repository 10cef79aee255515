"""Read pretrained embedding tables from an openrec2 checkpoint (e.g. BPR's).

Used by models that start from pretrained embeddings, such as ConvNCF's
``after_pretrain`` (He et al., IJCAI 2018, which initialises from a trained MF-BPR).
"""

from __future__ import annotations

import os
from typing import Dict, Mapping, Sequence

import numpy as np
import tensorflow.compat.v1 as tf
from google.protobuf import text_format

from openrec2.errors import CheckpointError, ShapeError, scoped


def checkpoint_prefix(path: str, scope: str) -> str:
    """Resolve a checkpoint directory (its latest checkpoint) or prefix.

    Args:
        path: Directory written by ``Recommender.save`` or a prefix it returned.
        scope: Scope of the model asking, for messages.

    Returns:
        The checkpoint prefix.

    Raises:
        CheckpointError: no checkpoint there.
    """
    try:
        prefix = tf.train.latest_checkpoint(path) if path and os.path.isdir(path) else path
    except (tf.errors.OpError, text_format.ParseError) as err:  # a garbled pointer file
        raise CheckpointError(scoped(scope, f"the checkpoint pointer file in {path!r} is damaged ({err}); pass a "
                                            "checkpoint prefix instead.")) from err
    if not prefix or not os.path.exists(prefix + ".index"):
        raise CheckpointError(scoped(scope, (
            f"no checkpoint at {path!r}; pass a directory written by save() or the prefix it returned.")))
    return prefix


def read_pretrained_tables(path: str, shapes: Mapping[str, Sequence[int]], scope: str) -> Dict[str, np.ndarray]:
    """Read variables whose names end with the given suffixes and check their shapes.

    A suffix such as ``'user/embedding'`` matches the checkpoint variable
    ``'bpr/user/embedding'`` (whatever the model scope), never its optimiser slots.

    Args:
        path: Checkpoint directory or prefix.
        shapes: ``{name suffix: expected shape}``.
        scope: Scope of the model asking, for messages.

    Returns:
        ``{name suffix: float32 array}``.

    Raises:
        CheckpointError: no checkpoint, or a suffix matches no variable or several.
        ShapeError: a table does not have the expected shape.
    """
    prefix = checkpoint_prefix(path, scope)
    reader = tf.train.load_checkpoint(prefix)
    names = sorted(reader.get_variable_to_shape_map())
    tables = {}
    for suffix, expected in shapes.items():
        matches = [n for n in names if n == suffix or n.endswith("/" + suffix)]
        if len(matches) != 1:
            raise CheckpointError(scoped(scope, (
                f"checkpoint {prefix!r} must hold exactly one variable named '*/{suffix}', found "
                f"{matches or 'none'} (it has {names[:8]}...). Pass a checkpoint saved by BPR.save().")))
        value = reader.get_tensor(matches[0]).astype(np.float32)
        if tuple(value.shape) != tuple(expected):
            raise ShapeError(scoped(scope, (
                f"pretrained {matches[0]!r} in {prefix!r} has shape {list(value.shape)}, this model "
                f"needs {list(expected)}; pretrain with the same max_user/max_item and an embedding "
                "size (BPR's dim_embed) equal to embedding_size.")))
        tables[suffix] = value
    return tables
