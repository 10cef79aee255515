"""Initialise a variable from a numpy array without copying the array into the graph.

``tf.constant_initializer(array)`` stores the array inside the graph definition: a
graph cannot exceed 2 GB, so a 4096-d visual feature matrix of a few hundred thousand
items (or a large pre-trained table) could not be loaded that way, and even below the
limit every large constant slows graph construction and doubles memory. Arrays above
:data:`EMBED_LIMIT_BYTES` are therefore fed through a placeholder when the variable's
initialiser runs: :class:`~openrec2.recommenders.Recommender` passes
:func:`initializer_feeds` to its initialisation. Code that initialises a graph by hand
must do the same::

    sess.run(tf.global_variables_initializer(), feed_dict=initializer_feeds(graph))
"""

from __future__ import annotations

import weakref
from typing import Dict

import numpy as np
import tensorflow.compat.v1 as tf

#: Arrays up to this size become graph constants; larger ones are fed at initialisation.
EMBED_LIMIT_BYTES = 64 << 20

#: Graph -> {placeholder: array} still to be fed to that graph's initialisers.
_FEEDS: "weakref.WeakKeyDictionary[tf.Graph, Dict[tf.Tensor, np.ndarray]]" = weakref.WeakKeyDictionary()


def array_initializer(array: np.ndarray):
    """An initializer for ``tf.get_variable`` that gives the variable ``array``'s values.

    A partitioned variable (a cluster placement, :mod:`openrec2.distributed`) calls it once
    per part; each part gets its own slice of the array.

    Args:
        array: The initial value; its shape must be the (whole) variable's.

    Returns:
        An initializer. Arrays (or parts) up to :data:`EMBED_LIMIT_BYTES` become graph
        constants; larger ones a placeholder (created only if the variable is really
        created, not when an existing one is reused) registered for
        :func:`initializer_feeds`.
    """

    def from_array(shape, dtype=None, partition_info=None):
        part = array
        if partition_info is not None:  # this part's rows (and columns) of the whole array
            part = array[tuple(slice(start, start + size) for start, size in zip(partition_info.var_offset, shape))]
        dtype = tf.as_dtype(dtype or array.dtype)
        if part.nbytes <= EMBED_LIMIT_BYTES:
            return tf.constant(part, dtype=dtype)
        placeholder = tf.placeholder(dtype, part.shape, name="initial_value_fed_by_initializer_feeds")
        _FEEDS.setdefault(placeholder.graph, {})[placeholder] = part
        return placeholder

    return from_array


def initializer_feeds(graph: tf.Graph) -> Dict[tf.Tensor, np.ndarray]:
    """The feed dict that variable initialisation in ``graph`` needs (often empty)."""
    return dict(_FEEDS.get(graph, {}))
