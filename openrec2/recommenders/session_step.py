"""One training step as a prepared session call: the same fetches and feeds every time.

``tf.compat.v1.Session.run`` re-parses its fetches and feeds on every call (a fetch
handler, a feed map, dtype and numpy-version checks per array): about a tenth of a
millisecond, which is several percent of a BPR step on ML-1M. ``Session.make_callable``
skips that only for calls without feeds. :class:`SessionStep` resolves the fetches,
targets and fed placeholders once and then hands the session the arrays directly,
through the same internal entry point ``Session.run`` ends in (errors are translated
as ``Session.run`` translates them); where that entry point is missing it calls
``Session.run``.
"""

from __future__ import annotations

from typing import List, Sequence

import numpy as np
import tensorflow.compat.v1 as tf


class SessionStep:
    """A prepared ``session.run(fetches, {placeholder: value, ...})``.

    Args:
        sess: The session.
        fetches: Tensors whose values are returned, in order, and operations that are
            only run (their place in the result holds None).
        placeholders: The placeholders fed, in the order of the call's arguments.
    """

    def __init__(self, sess: tf.Session, fetches: Sequence, placeholders: Sequence[tf.Tensor]) -> None:
        self._sess, self._fetches, self._placeholders = sess, list(fetches), list(placeholders)
        self._tensor_slots = [i for i, fetch in enumerate(self._fetches) if isinstance(fetch, tf.Tensor)]
        self._fast = all(hasattr(sess, name) for name in ("_do_call", "_call_tf_sessionrun"))
        if self._fast:
            self._fetch_list = [self._fetches[i]._as_tf_output() for i in self._tensor_slots]
            self._target_list = [fetch._c_op for fetch in self._fetches if not isinstance(fetch, tf.Tensor)]
            self._feed_keys = [placeholder._as_tf_output() for placeholder in self._placeholders]

    def __call__(self, *values: np.ndarray) -> List:
        """Run the step.

        Args:
            *values: One numpy array per placeholder, of its dtype.

        Returns:
            One entry per fetch: the tensor's value, or None for an operation.
        """
        if not self._fast:
            return self._sess.run(self._fetches, feed_dict=dict(zip(self._placeholders, values)))
        feeds = dict(zip(self._feed_keys, values))
        fetched = self._sess._do_call(self._sess._call_tf_sessionrun, None, feeds, self._fetch_list,
                                      self._target_list, None)
        results: List = [None] * len(self._fetches)
        for slot, value in zip(self._tensor_slots, fetched):
            results[slot] = value
        return results
