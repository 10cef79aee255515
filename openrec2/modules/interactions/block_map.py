"""Apply a function to fixed-size blocks of rows inside the graph (bounded memory).

Used by serving graphs that would otherwise materialise a huge intermediate tensor
(e.g. ConvNCF scoring every user against every item through a CNN).
"""

from __future__ import annotations

from typing import Callable, Sequence, Union

import tensorflow.compat.v1 as tf

Tensors = Union[tf.Tensor, Sequence[tf.Tensor]]


def map_row_blocks(fn: Callable[..., tf.Tensor], elems: Tensors, block_size: int,
                   dtype=tf.float32) -> tf.Tensor:
    """Run ``fn`` on consecutive blocks of ``block_size`` rows and concatenate the results.

    The rows are zero-padded to a multiple of ``block_size``; the padded rows' results
    are cut off. Blocks run one after another (``tf.map_fn`` with
    ``parallel_iterations=1``), so at most one block's intermediates live at a time.

    Args:
        fn: Takes one block of each tensor of ``elems`` (``[block_size, ...]``) and
            returns a ``[block_size, ...]`` tensor of ``dtype``.
        elems: A tensor or a list of tensors sharing their first dimension.
        block_size: Rows per block (a Python int or an int32 scalar tensor).
        dtype: Dtype of ``fn``'s result.

    Returns:
        The results of all blocks concatenated along axis 0 (as many rows as ``elems``).
    """
    single = isinstance(elems, tf.Tensor)
    tensors = [elems] if single else list(elems)
    rows = tf.shape(tensors[0])[0]
    num_blocks = (rows + block_size - 1) // block_size
    padding = num_blocks * block_size - rows
    blocks = []
    for tensor in tensors:
        rank = tensor.shape.ndims
        padded = tf.pad(tensor, [[0, padding]] + [[0, 0]] * (rank - 1))
        blocks.append(tf.reshape(padded, tf.concat([[num_blocks, block_size], tf.shape(tensor)[1:]], 0)))
    results = tf.map_fn(lambda block: fn(*block), blocks, fn_output_signature=dtype,
                        parallel_iterations=1, back_prop=False)
    flat = tf.reshape(results, tf.concat([[num_blocks * block_size], tf.shape(results)[2:]], 0))
    return flat[:rows]


def all_pair_scores(score_pairs: Callable[[tf.Tensor, tf.Tensor], tf.Tensor], users: tf.Tensor, items: tf.Tensor,
                    block_users: int) -> tf.Tensor:
    """``[B, N]`` scores of every (user, item) pair by a function of aligned rows, ``block_users`` users at a time.

    For scorers that are not a matrix product (an MLP over ``[user, item]``): each block
    tiles its users against all items, so memory grows with ``block_users * N``, not
    ``B * N``.

    Args:
        score_pairs: Takes ``[M, d_u]`` users and ``[M, d_i]`` items (aligned rows) and
            returns ``[M]`` scores.
        users: ``[B, d_u]`` user representations.
        items: ``[N, d_i]`` representations of all items.
        block_users: Users per block.

    Returns:
        ``[B, N]`` scores.
    """
    count = tf.shape(items)[0]
    width = int(users.shape[-1])

    def block(rows: tf.Tensor) -> tf.Tensor:
        size = tf.shape(rows)[0]
        tiled_users = tf.reshape(tf.tile(rows[:, None, :], [1, count, 1]), [size * count, width])
        return tf.reshape(score_pairs(tiled_users, tf.tile(items, [size, 1])), [size, count])

    return map_row_blocks(block, users, block_users)
