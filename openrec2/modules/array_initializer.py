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

    Args:
        array: The initial value; its shape must be the variable's.

    Returns:
        ``tf.constant_initializer(array)`` for arrays up to :data:`EMBED_LIMIT_BYTES`;
        otherwise an initializer creating a placeholder (only if the variable is really
        created, not when an existing one is reused) registered for
        :func:`initializer_feeds`.
    """
    if array.nbytes <= EMBED_LIMIT_BYTES:
        return tf.constant_initializer(array)

    def fed_at_initialisation(shape, dtype=None, partition_info=None):
        del shape, partition_info  # the array's own shape and dtype are used
        placeholder = tf.placeholder(tf.as_dtype(dtype or array.dtype), array.shape,
                                     name="initial_value_fed_by_initializer_feeds")
        _FEEDS.setdefault(placeholder.graph, {})[placeholder] = array
        return placeholder

    return fed_at_initialisation


def initializer_feeds(graph: tf.Graph) -> Dict[tf.Tensor, np.ndarray]:
    """The feed dict that variable initialisation in ``graph`` needs (often empty)."""
    return dict(_FEEDS.get(graph, {}))
