"""A recommender's learned tables in an HDF5 file (``h5py``), and read back to warm-start a model.

:func:`export_embeddings` writes one file::

    /user_factors               float32 [max_user, d]   (models that name their tables,
    /item_factors               float32 [max_item, d']   see Recommender.embedding_tensors)
    /item_bias                  float32 [max_item, 1]
    /projected_item_features    float32 [max_item, k]    (content models: the feature encoding)
    /variables/<variable name>  every trainable variable the serving graph reads, e.g.
                                /variables/bpr/user/embedding
    attributes of the file: model, scope, max_user, max_item, dataset, settings (JSON),
    date, openrec2_version; each table has a ``description`` attribute.

The named tables are what a user takes elsewhere (nearest-neighbour search, another
system); the ``variables`` group is what :func:`load_embeddings` returns as an
``init_dict``, so ``Model(..., init_dict=load_embeddings(path))`` starts from the saved
values (optimiser state and step are not kept: that is what checkpoints are for).
Tables needing an id input (the users' representations) are computed ``chunk_size``
ids at a time.
"""

from __future__ import annotations

import datetime
import json
import os
from typing import Dict, Optional

import numpy as np
import tensorflow.compat.v1 as tf

from openrec2.errors import ExportError, scoped
from openrec2.serving.serving_graph import serving_subgraph, serving_variables
from openrec2.validation import check_int

#: Group of the variables (the ``init_dict``) inside the file.
VARIABLES_GROUP = 'variables'
#: What each named table holds, for the ``description`` attribute.
DESCRIPTIONS = {
    'user_factors': "each user's representation (latent factors, fused with its feature encoding where the "
                    "model has one)",
    'item_factors': "each item's representation (latent factors, fused with its feature encoding where the "
                    "model has one)",
    'item_bias': "each item's bias",
    'projected_item_features': "each item's feature vector as the model encodes (projects) it",
    'projected_user_features': "each user's feature vector as the model encodes it",
}


def export_embeddings(model, path: str, metadata: Optional[dict] = None, chunk_size: int = 4096) -> str:
    """Write ``model``'s named tables and trainable serving variables to an HDF5 file.

    Args:
        model: A :class:`~openrec2.recommenders.Recommender`.
        path: The file to write (replaced when it exists; written through a temporary file).
        metadata: More attributes (``dataset``, ``settings``); values that are not
            strings or numbers are stored as JSON.
        chunk_size: Ids per serving call for tables computed by id.

    Returns:
        ``path``.

    Raises:
        ExportError: The file cannot be written.
    """
    import h5py
    import openrec2
    chunk_size = check_int(chunk_size, 'chunk_size', f'{model.scope} export')
    path = os.fspath(path)
    tables = model.embedding_tensors()
    outputs = ([model.serving_signature(inputs)[1] for inputs in model.export_signatures().values()]
               + [tensor for tensor, _ in tables.values()])
    trainable = {v.op.name for v in model.graph.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES)}
    variables = {name: value for name, value in serving_variables(model, serving_subgraph(model, outputs)).items()
                 if name in trainable}
    attributes = dict(model=type(model).__name__, scope=model.scope, max_user=model.max_user,
                      max_item=model.max_item, date=datetime.datetime.now(datetime.timezone.utc).isoformat(),
                      openrec2_version=openrec2.__version__, **(metadata or {}))
    partial = path + '.partial'
    try:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with h5py.File(partial, 'w') as handle:
            for key, value in attributes.items():
                handle.attrs[key] = value if isinstance(value, (str, int, float, np.number)) else json.dumps(
                    value, default=str)
            for name, (tensor, id_input) in tables.items():
                dataset = handle.create_dataset(name, data=_table(model, tensor, id_input, chunk_size))
                dataset.attrs['description'] = DESCRIPTIONS.get(name, name)
            for name, value in variables.items():
                handle.create_dataset(f'{VARIABLES_GROUP}/{name}', data=value)
        os.replace(partial, path)
    except OSError as err:
        raise ExportError(scoped(model.scope, f'cannot write embeddings to {path!r}: {err}')) from err
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    return path


def _table(model, tensor: tf.Tensor, id_input: Optional[str], chunk_size: int) -> np.ndarray:
    """The values of one named table (every id's rows, in chunks, for a table by id)."""
    if id_input is None:
        return model.sess.run(tensor)
    placeholders, _ = model.serving_signature([id_input])
    rows = model.max_user if id_input == 'user_id' else model.max_item
    ids = np.arange(rows, dtype=np.int32)
    return np.concatenate([model.sess.run(tensor, {placeholders[id_input]: ids[start:start + chunk_size]})
                           for start in range(0, rows, chunk_size)])


def load_embeddings(path: str) -> Dict[str, np.ndarray]:
    """The ``init_dict`` of a file :func:`export_embeddings` wrote.

    Args:
        path: The HDF5 file.

    Returns:
        ``{variable name: array}`` for a model's ``init_dict`` (a model of the same
        class and sizes).

    Raises:
        ExportError: The file holds no ``variables`` group.
    """
    import h5py
    found: Dict[str, np.ndarray] = {}
    with h5py.File(os.fspath(path), 'r') as handle:
        if VARIABLES_GROUP not in handle:
            raise ExportError(scoped('embeddings', f'{path!r} has no {VARIABLES_GROUP!r} group; pass a file written '
                                                   'by model.export_embeddings().'))
        handle[VARIABLES_GROUP].visititems(
            lambda name, item: found.__setitem__(name, item[()]) if isinstance(item, h5py.Dataset) else None)
    return found


def read_embedding_attributes(path: str) -> dict:
    """The file attributes of an embeddings file (JSON values decoded)."""
    import h5py
    with h5py.File(os.fspath(path), 'r') as handle:
        values = dict(handle.attrs)
    decoded = {}
    for key, value in values.items():
        if isinstance(value, bytes):
            value = value.decode()
        if isinstance(value, str) and value[:1] in '{[':
            value = json.loads(value)
        decoded[key] = value.item() if isinstance(value, np.generic) else value
    return decoded
