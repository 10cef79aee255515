"""TransH geometry (Wang, Zhang, Feng and Chen, "Knowledge Graph Embedding by
Translating on Hyperplanes", AAAI 2014), shared by the KG and preference parts of KTUP
(Cao et al., WWW 2019).

A relation ``r`` has a translation vector ``d_r`` and a hyperplane with normal ``w_r``;
head and tail are projected onto the hyperplane, ``v_perp = v - (v . w) w`` with ``w``
normalised, and the triple's distance is ``|| h_perp + d_r - t_perp ||``.
"""

from __future__ import annotations

import tensorflow.compat.v1 as tf

#: Guards divisions by vector norms.
NORM_EPSILON = 1e-12


def unit_rows(vectors: tf.Tensor) -> tf.Tensor:
    """Scale each vector (last axis) to unit L2 norm (zero vectors stay zero).

    Args:
        vectors: float tensor ``[..., d]``.

    Returns:
        Tensor of the same shape.
    """
    return vectors * tf.rsqrt(tf.maximum(tf.reduce_sum(tf.square(vectors), -1, keepdims=True), NORM_EPSILON))


def project_to_hyperplane(vectors: tf.Tensor, normals: tf.Tensor) -> tf.Tensor:
    """Project vectors onto the hyperplanes of the given normals: ``v - (v . w) w``.

    The normals are normalised first, so the result is orthogonal to them whatever
    their length.

    Args:
        vectors: float tensor ``[..., d]``.
        normals: float tensor broadcastable to ``vectors``.

    Returns:
        The projections, shaped like the broadcast of both inputs.
    """
    unit = unit_rows(normals)
    return vectors - tf.reduce_sum(vectors * unit, -1, keepdims=True) * unit


def translation_distance(difference: tf.Tensor, l1: bool) -> tf.Tensor:
    """Distance of a translation residual from zero, over the last axis.

    Args:
        difference: float tensor ``[..., d]``, e.g. ``h_perp + d_r - t_perp``.
        l1: L1 norm (True) or squared L2 norm (False; ranks like the L2 norm and has a
            gradient at zero, as in the reference implementations).

    Returns:
        Tensor ``[...]`` of non-negative distances.
    """
    if l1:
        return tf.reduce_sum(tf.abs(difference), -1)
    return tf.reduce_sum(tf.square(difference), -1)


def transh_distance(head: tf.Tensor, translation: tf.Tensor, normal: tf.Tensor, tail: tf.Tensor,
                    l1: bool) -> tf.Tensor:
    """TransH distance ``|| P(h) + d - P(t) ||`` with ``P`` the hyperplane projection.

    Projection is linear, so ``P(h) - P(t) = P(h - t)``; one projection is computed.

    Args:
        head: ``[..., d]`` head (or user) vectors.
        translation: ``[..., d]`` translation (relation or preference) vectors.
        normal: ``[..., d]`` hyperplane normals.
        tail: ``[..., d]`` tail (or item) vectors; all four broadcast together.
        l1: L1 or squared L2 distance (see :func:`translation_distance`).

    Returns:
        ``[...]`` distances.
    """
    return translation_distance(project_to_hyperplane(head - tail, normal) + translation, l1)


def orthogonality_loss(translations: tf.Tensor, normals: tf.Tensor) -> tf.Tensor:
    """TransH's soft constraint that each translation lies in its hyperplane.

    Sum over rows of ``(w_hat . d)^2 / ||d||^2`` (the squared cosine between the
    translation and its normal), which is zero exactly when they are orthogonal.

    Args:
        translations: ``[n, d]`` translation vectors.
        normals: ``[n, d]`` their normals.

    Returns:
        A scalar.
    """
    dots = tf.reduce_sum(translations * unit_rows(normals), -1)
    lengths = tf.maximum(tf.reduce_sum(tf.square(translations), -1), NORM_EPSILON)
    return tf.reduce_sum(tf.square(dots) / lengths)


def norm_excess_loss(vectors: tf.Tensor) -> tf.Tensor:
    """TransE/TransH's soft norm constraint: ``sum(max(0, ||v||^2 - 1))``.

    Args:
        vectors: ``[..., d]`` embeddings.

    Returns:
        A scalar, zero when every vector lies in the unit ball.
    """
    return tf.reduce_sum(tf.nn.relu(tf.reduce_sum(tf.square(vectors), -1) - 1.0))
