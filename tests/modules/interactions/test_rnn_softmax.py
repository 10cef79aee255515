"""Tests of the recurrent next-item softmax: padding never counts, serving scores every
item, the sampled softmax learns without ever computing the logits of all items."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import MissingInputError, SettingError, ShapeError
from openrec2.modules.interactions import RNNSoftmax

ITEMS, STEPS, WIDTH, UNITS = 40, 5, 6, 8


def inputs():
    vectors = tf.placeholder(tf.float32, [None, STEPS, WIDTH])
    lengths = tf.placeholder(tf.int32, [None])
    return vectors, lengths


def ancestors(tensors):
    """Every tensor the given tensors or ops depend on."""
    seen, stack, found = set(), [t.op if hasattr(t, 'op') else t for t in tensors], []
    while stack:
        op = stack.pop()
        if op in seen:
            continue
        seen.add(op)
        found.extend(op.outputs)
        stack.extend(t.op for t in op.inputs)
        stack.extend(op.control_inputs)
    return found


def all_item_logits(tensors):
    """Tensors shaped like a row of logits over every item: rank >= 2, last dimension ITEMS."""
    return [t for t in ancestors(tensors)
            if t.shape.ndims is not None and t.shape.ndims >= 2 and t.shape[-1] == ITEMS]


def test_serving_scores_every_item_after_the_real_history(tf_run):
    vectors, lengths = inputs()
    train = RNNSoftmax(vectors, ITEMS, lengths, UNITS, label=tf.constant([1, 2, 3]), scope='rnn')
    serve = RNNSoftmax(vectors, ITEMS, lengths, UNITS, train=False, scope='rnn', reuse=True)
    rng = np.random.default_rng(0)
    clean = rng.normal(size=(3, STEPS, WIDTH)).astype(np.float32)
    dirty = clean.copy()
    dirty[0, 2:], dirty[1, 4:] = 9.0, -9.0
    feed = {vectors: clean, lengths: [2, 4, 5]}
    scores = tf_run(serve.get_outputs()[0], feed)
    assert scores.shape == (3, ITEMS)
    np.testing.assert_array_equal(scores, tf_run(serve.get_outputs()[0], {**feed, vectors: dirty}))
    assert tf_run(train.get_loss(), feed) == tf_run(train.get_loss(), {**feed, vectors: dirty})
    assert len(tf.trainable_variables()) == len(train.get_variables(trainable_only=True))  # serving shares them


@pytest.mark.parametrize('cell_type', ['gru', 'lstm'])
def test_padded_positions_never_count_in_the_every_position_loss(tf_run, cell_type):
    vectors, lengths = inputs()
    labels = tf.placeholder(tf.int32, [None, STEPS])
    module = RNNSoftmax(vectors, ITEMS, lengths, UNITS, cell_type=cell_type, label=labels)
    rng = np.random.default_rng(1)
    feed = {vectors: rng.normal(size=(3, STEPS, WIDTH)), lengths: [1, 3, 5],
            labels: rng.integers(ITEMS, size=(3, STEPS))}
    changed = feed[labels].copy()
    changed[0, 1:], changed[1, 3:] = 0, 7  # padded positions only
    dirty = feed[vectors].copy()
    dirty[0, 1:] = 5.0
    loss = tf_run(module.get_loss(), feed)
    assert loss == tf_run(module.get_loss(), {**feed, labels: changed, vectors: dirty})
    # The loss is the mean cross-entropy over the 9 real positions.
    states, weights, biases = tf_run([module._states, module._weights, module._biases], feed)
    real = np.arange(STEPS)[None, :] < np.array([1, 3, 5])[:, None]
    logits = states[real] @ weights.T + biases
    log_softmax = logits - np.log(np.exp(logits - logits.max(1, keepdims=True)).sum(1, keepdims=True)) \
        - logits.max(1, keepdims=True)
    expected = -log_softmax[np.arange(9), feed[labels][real]].mean()
    np.testing.assert_allclose(loss, expected, rtol=1e-5)


def planted_next_items(count=512, seed=0):
    """Histories ``s, s+1, ...`` (mod ITEMS) whose next item continues the run."""
    rng = np.random.default_rng(seed)
    starts = rng.integers(ITEMS, size=count)
    lengths = rng.integers(1, STEPS + 1, size=count)
    history = (starts[:, None] + np.arange(STEPS)[None, :]) % ITEMS
    history = np.where(np.arange(STEPS)[None, :] < lengths[:, None], history, 0)
    return history.astype(np.int32), lengths.astype(np.int32), ((starts + lengths) % ITEMS).astype(np.int32)


def next_item_model(softmax_samples):
    ids, lengths, labels = (tf.placeholder(tf.int32, [None, STEPS]), tf.placeholder(tf.int32, [None]),
                            tf.placeholder(tf.int32, [None]))
    table = tf.get_variable('items', [ITEMS, WIDTH])
    train = RNNSoftmax(tf.nn.embedding_lookup(table, ids), ITEMS, lengths, UNITS, softmax_samples=softmax_samples,
                       label=labels, scope='rnn')
    serve = RNNSoftmax(tf.nn.embedding_lookup(table, ids), ITEMS, lengths, UNITS, train=False, scope='rnn',
                       reuse=True)
    step = tf.train.AdamOptimizer(0.02).minimize(train.get_loss())
    return (ids, lengths, labels), train, serve, step


def test_sampled_softmax_never_computes_all_item_logits_and_still_learns(tf_run):
    (ids, lengths, labels), train, serve, step = next_item_model(softmax_samples=5)
    assert all_item_logits([train.get_loss(), step]) == []
    history, length, target = planted_next_items()
    feed = {ids: history, lengths: length, labels: target}
    first = tf_run(train.get_loss(), feed)
    for _ in range(300):
        tf_run(step, feed)
    assert tf_run(train.get_loss(), feed) < 0.3 * first
    test_history, test_length, test_target = planted_next_items(seed=1)
    scores = tf_run(serve.get_outputs()[0], {ids: test_history, lengths: test_length})
    assert (scores.argmax(1) == test_target).mean() > 0.9


def test_the_full_softmax_does_compute_all_item_logits(tf_run):
    (_, _, _), train, _, step = next_item_model(softmax_samples=None)
    assert all_item_logits([train.get_loss(), step])  # the check above can fail


def test_errors(tf_run):
    vectors, lengths = inputs()
    with pytest.raises(MissingInputError, match='training needs `label`'):
        RNNSoftmax(vectors, ITEMS, lengths, UNITS)
    with pytest.raises(SettingError, match='cell_type'):
        RNNSoftmax(vectors, ITEMS, lengths, UNITS, cell_type='rnn', label=tf.zeros([3], tf.int32))
    with pytest.raises(SettingError, match='softmax_samples'):
        RNNSoftmax(vectors, ITEMS, lengths, UNITS, softmax_samples=ITEMS, label=tf.zeros([3], tf.int32))
    with pytest.raises(ShapeError, match='T = 5'):
        RNNSoftmax(vectors, ITEMS, lengths, UNITS, label=tf.zeros([3, 4], tf.int32))
    with pytest.raises(ShapeError, match='rank 3'):
        RNNSoftmax(tf.zeros([3, WIDTH]), ITEMS, lengths, UNITS, train=False)
