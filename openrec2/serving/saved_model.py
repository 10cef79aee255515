"""SavedModel export of a recommender: the ``recommend`` and ``score`` signatures TensorFlow Serving reads.

:func:`export_saved_model` writes the model's serving graph, and only that, as a TF1
SavedModel in the versioned layout TensorFlow Serving watches::

    OUT/<version>/saved_model.pb
    OUT/<version>/variables/variables.{index,data-*}
    OUT/<version>/assets.extra/openrec2.json     what was exported (model, settings, signatures)

It works for any :class:`~openrec2.recommenders.Recommender` from its declared serving
outputs, with no per-model code: the ops those outputs depend on are cut out of the
model's graph (the training ops, optimisers and openrec2's custom kernels stay behind,
so the export loads where openrec2 is not installed), imported into a new graph whose
variables hold the model's current values, and given signatures. A model names its
signatures with :meth:`~openrec2.recommenders.Recommender.export_signatures`
(``{name: serving inputs}``); by default:

* ``recommend``: ``user_id`` int32 ``[B]`` -> ``item_ids`` int32 ``[B, K]`` and
  ``scores`` float32 ``[B, K]``, the top ``K = top_k`` items of each user, best first,
  without the items the user had in training when those were given to the export; for
  a next-item model (one whose :attr:`~openrec2.recommenders.Recommender.history_inputs`
  are set: RNNRec, the YouTube models) its history inputs instead (e.g. ``item_seq``
  ``[B, L]`` and ``item_seq_len`` ``[B]``), without the items of the history fed;
* ``recommend_k``: the same with two more inputs, ``k`` int32 scalar and
  ``exclude_seen`` bool scalar (TensorFlow's Python loader of TF1 signatures takes
  every input of a signature as required, so the optional ``k`` is a signature of its
  own; in TensorFlow Serving both inputs have defaults, ``top_k`` and True);
* ``score``: the model's pair-scoring inputs (``user_id``, ``item_id``) -> ``scores``
  ``[B]``; a CTR model's own serving inputs (DIEN: ``item_id``, ``item_seq``,
  ``item_seq_len``) -> its click probabilities;
* ``serving_default``: ``recommend`` when the model has it, else ``score``.

Excluded items get the score ``-inf``; a user with fewer than ``K`` items left gets
``-inf`` scores at the end of the list. The exclusions are stored in the export (a
per-user CSR list as two variables), so serving needs nothing else; a next-item
model's exclusions are the history of each request (its first ``length`` entries).
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
from typing import Dict, Optional, Tuple

import numpy as np
import tensorflow.compat.v1 as tf

from openrec2.errors import ExportError, scoped
from openrec2.serving.serving_graph import (
    serving_placeholders,
    serving_subgraph,
    serving_variables,
    without_variables,
)
from openrec2.utils.item_lists import ItemLists
from openrec2.validation import check_int

#: Signature names.
RECOMMEND, RECOMMEND_K, SCORE, DEFAULT = 'recommend', 'recommend_k', 'score', 'serving_default'
#: The serving inputs whose output is ``[B, max_item]`` all-item scores (the top-K head's input).
ALL_ITEMS_INPUTS = ('user_id',)
#: Name scope of the model's imported serving graph inside the export.
IMPORT_SCOPE = 'model'
#: File of the export's description, inside the version folder.
METADATA_FILE = os.path.join('assets.extra', 'openrec2.json')


def default_signatures(serving_inputs, history_inputs: Optional[Tuple[str, str]] = None
                       ) -> Dict[str, Tuple[str, ...]]:
    """The signatures of a model's serving outputs, named as :mod:`this module <openrec2.serving.saved_model>` says.

    Args:
        serving_inputs: The input-name tuples of the model's serving outputs, in
            declaration order.
        history_inputs: A next-item model's ``(history, length)`` inputs, or None.

    Returns:
        ``{signature name: serving inputs}``: the all-item scores (``('user_id',)``, or
        for a next-item model the first output that reads the history and no
        ``item_id``) are ``recommend``, ``('user_id', 'item_id')`` is ``score``; any
        other output is ``score`` when the name is free, else ``score_<input names>``.
    """
    def all_items(inputs: Tuple[str, ...]) -> bool:
        if history_inputs is None:
            return inputs == ALL_ITEMS_INPUTS
        return 'item_id' not in inputs and set(history_inputs) <= set(inputs)

    names = {}
    for inputs in map(tuple, serving_inputs):
        if all_items(inputs) and RECOMMEND not in names:
            names[RECOMMEND] = inputs
    ordered = sorted(serving_inputs, key=lambda one: tuple(one) != ('user_id', 'item_id'))
    for inputs in ordered:
        inputs = tuple(inputs)
        if inputs == names.get(RECOMMEND):
            continue
        names[SCORE if SCORE not in names else f'{SCORE}_{"_".join(inputs)}'] = inputs
    return names


def export_saved_model(model, path: str, top_k: int = 100, exclude=None, version: Optional[int] = None,
                       metadata: Optional[dict] = None) -> str:
    """Write ``model``'s serving graph as a SavedModel in ``path/<version>``.

    Args:
        model: A :class:`~openrec2.recommenders.Recommender`.
        path: Base folder (TensorFlow Serving's ``model_base_path``); created if needed.
        top_k: ``K`` of the ``recommend`` signature (and the default of ``recommend_k``).
        exclude: The items each user had in training, left out of ``recommend``: a
            :class:`~openrec2.utils.Dataset`, an :class:`~openrec2.utils.item_lists.ItemLists`
            or a list of per-user item-id arrays (``max_user`` rows); None excludes nothing.
            A next-item model takes None: its ``recommend`` excludes the history fed.
        version: Version number of the export (default: one more than the highest
            version already in ``path``, 1 for an empty folder).
        metadata: More facts for ``assets.extra/openrec2.json`` (dataset, settings).

    Returns:
        The version folder written.

    Raises:
        ExportError: The version exists already, the serving graph needs an input no
            signature gives, or ``exclude`` does not fit the model (or is given to a
            next-item model).
        SettingError: ``top_k`` or ``version`` is not a positive integer.
    """
    scope = f'{model.scope} export'
    top_k = check_int(top_k, 'top_k', scope)
    signatures = {name: tuple(inputs) for name, inputs in model.export_signatures().items()}
    if not signatures:
        raise ExportError(scoped(scope, 'export_signatures() names no signature; nothing to export.'))
    target = _version_folder(os.fspath(path), version, scope)
    exclusions = _exclusions(exclude, model, scope) if RECOMMEND in signatures else None
    tensors = {name: model.serving_signature(inputs) for name, inputs in signatures.items()}
    graph_def = serving_subgraph(model, [output for _, output in tensors.values()])
    _check_fed(model, graph_def, tensors, scope)
    values = serving_variables(model, graph_def)
    staging = target + '.partial'
    shutil.rmtree(staging, ignore_errors=True)
    try:
        described = _write(graph_def, values, tensors, top_k, exclusions, model.history_inputs, staging)
        info = dict(model=type(model).__name__, scope=model.scope, max_user=model.max_user,
                    max_item=model.max_item, top_k=top_k,
                    excludes_seen=exclusions is not None or model.history_inputs is not None,
                    history_inputs=model.history_inputs,
                    signatures=described, exported=datetime.datetime.now(datetime.timezone.utc).isoformat(),
                    openrec2_version=_openrec2_version(), **(metadata or {}))
        os.makedirs(os.path.join(staging, os.path.dirname(METADATA_FILE)), exist_ok=True)
        with open(os.path.join(staging, METADATA_FILE), 'w', encoding='utf-8') as handle:
            json.dump(info, handle, indent=2, default=str)
        os.rename(staging, target)  # TensorFlow Serving never sees a half-written version
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def read_export_metadata(version_folder: str) -> dict:
    """The ``assets.extra/openrec2.json`` description of an export.

    Args:
        version_folder: A folder :func:`export_saved_model` returned.

    Returns:
        The description (model, sizes, ``top_k``, signatures, date, openrec2 version).

    Raises:
        ExportError: The folder holds no openrec2 export.
    """
    file = os.path.join(os.fspath(version_folder), METADATA_FILE)
    if not os.path.isfile(file):
        raise ExportError(scoped('export', f'{version_folder!r} holds no {METADATA_FILE}; pass the version '
                                           'folder an openrec2 export wrote (e.g. OUT/1).'))
    with open(file, encoding='utf-8') as handle:
        return json.load(handle)


# ---------------------------------------------------------------------- checks
def _version_folder(path: str, version: Optional[int], scope: str) -> str:
    """``path/<version>``, the next free version when none is given."""
    if version is None:
        taken = [int(name) for name in (os.listdir(path) if os.path.isdir(path) else []) if name.isdigit()]
        version = max(taken, default=0) + 1
    version = check_int(version, 'version', scope)
    target = os.path.join(path, str(version))
    if os.path.exists(target):
        raise ExportError(scoped(scope, f'{target!r} exists already; give another version or a new folder '
                                        '(TensorFlow Serving serves the highest version of the folder).'))
    os.makedirs(path, exist_ok=True)
    return target


def _exclusions(exclude, model, scope: str) -> Optional[ItemLists]:
    """The per-user excluded items as :class:`ItemLists` with ``max_user`` rows, or None."""
    if exclude is None:
        return None
    if model.history_inputs is not None:
        raise ExportError(scoped(scope, (
            f'exclude does not apply to a next-item model: its recommend signature leaves out the items of the '
            f'history fed ({model.history_inputs[0]!r}); pass exclude=None.')))
    lists = exclude.positives if hasattr(exclude, 'positives') else ItemLists.coerce(
        exclude, 'exclude', num_items=model.max_item)
    if len(lists) != model.max_user:
        raise ExportError(scoped(scope, f'exclude has {len(lists)} users, the model {model.max_user}; pass the '
                                        'training set the model was trained on.'))
    if lists.indices.size and lists.indices.max() >= model.max_item:
        raise ExportError(scoped(scope, f'exclude holds item ids up to {lists.indices.max()}, the model has '
                                        f'{model.max_item} items.'))
    return lists


def _check_fed(model, graph_def: tf.GraphDef, tensors: dict, scope: str) -> None:
    """Refuse an export whose serving graph reads a placeholder that no signature feeds."""
    fed = {placeholder.op.name for inputs, _ in tensors.values() for placeholder in inputs.values()}
    unfed = [name for name, (has_default, _) in serving_placeholders(graph_def).items()
             if not has_default and name not in fed]
    if unfed:
        raise ExportError(scoped(scope, f'the serving outputs read placeholders {unfed} that no signature '
                                        f'feeds; declare them as serving inputs (signatures: {list(tensors)}).'))


def _openrec2_version() -> str:
    import openrec2
    return openrec2.__version__


# ---------------------------------------------------------------------- writing
def _write(graph_def: tf.GraphDef, values: dict, tensors: dict, top_k: int, exclusions: Optional[ItemLists],
           history_inputs: Optional[Tuple[str, str]], folder: str) -> dict:
    """Build the export graph, fill its variables and save it; returns the signatures' description."""
    graph = tf.Graph()
    with graph.as_default():
        variables, feeds = _variables(values)
        tf.import_graph_def(without_variables(graph_def), name=IMPORT_SCOPE,
                            input_map={f'{name}:0': variable.handle for name, variable in variables.items()})

        def imported(tensor: tf.Tensor) -> tf.Tensor:
            return graph.get_tensor_by_name(f'{IMPORT_SCOPE}/{tensor.name}')

        signature_defs, described = {}, {}
        for name, (inputs, output) in tensors.items():
            fed = {key: imported(placeholder) for key, placeholder in inputs.items()}
            if name == RECOMMEND:
                scores = imported(output)
                if history_inputs is None:
                    head_variables, head_feeds, seen = _stored_seen_mask(scores, fed['user_id'], exclusions)
                else:
                    head_variables, head_feeds = {}, {}
                    seen = _history_mask(scores, *(fed[key] for key in history_inputs))
                extra_inputs, outputs = _top_k_head(scores, seen, top_k)
                variables.update(head_variables)
                feeds.update(head_feeds)
                signature_defs[RECOMMEND_K] = tf.saved_model.predict_signature_def({**fed, **extra_inputs}, outputs)
                described[RECOMMEND_K] = dict(inputs=sorted({**fed, **extra_inputs}), outputs=sorted(outputs))
            else:
                outputs = {'scores': imported(output)}
            signature_defs[name] = tf.saved_model.predict_signature_def(fed, outputs)
            described[name] = dict(inputs=sorted(fed), outputs=sorted(outputs))
        first = RECOMMEND if RECOMMEND in signature_defs else next(iter(tensors))
        signature_defs[DEFAULT] = signature_defs[first]
        described[DEFAULT] = dict(described[first], same_as=first)
        with tf.Session(graph=graph) as sess:
            sess.run([v.initializer for v in variables.values()], feed_dict=feeds)
            builder = tf.saved_model.Builder(folder)
            builder.add_meta_graph_and_variables(sess, [tf.saved_model.SERVING], signature_def_map=signature_defs,
                                                 strip_default_attrs=True)
            builder.save()
    return described


def _variables(values: dict) -> tuple:
    """New variables with the model's names, each initialised from a fed placeholder (large
    tables never become graph constants): ``({name: variable}, {placeholder: value})``."""
    variables, feeds = {}, {}
    for name, value in values.items():
        with tf.name_scope('initial_values'):
            initial = tf.placeholder(tf.as_dtype(value.dtype), value.shape)
        variables[name] = tf.Variable(initial, name=name, trainable=False)
        feeds[initial] = value
    return variables, feeds


def _stored_seen_mask(scores: tf.Tensor, user_id: tf.Tensor, exclusions: Optional[ItemLists]):
    """The exclusions stored as two new variables and the batch's mask of them.

    Returns:
        ``(new variables, their initial feeds, [B, max_item] bool mask or None)``.
    """
    if exclusions is None:
        return {}, {}, None
    stored = {'openrec2_exclusions/row_splits': exclusions.indptr.astype(np.int64),
              'openrec2_exclusions/item_ids': exclusions.indices.astype(np.int64)}
    variables, feeds = _variables(stored)
    lists = tf.RaggedTensor.from_row_splits(*(variables[name].read_value() for name in (
        'openrec2_exclusions/item_ids', 'openrec2_exclusions/row_splits')), validate=False)
    return variables, feeds, _mask_of(scores, tf.gather(lists, user_id))


def _history_mask(scores: tf.Tensor, history: tf.Tensor, length: tf.Tensor) -> tf.Tensor:
    """``[B, max_item]`` bool: True where the item is among the first ``length`` items of the row's history."""
    rows = tf.RaggedTensor.from_tensor(tf.cast(history, tf.int64), lengths=tf.cast(length, tf.int64))
    return _mask_of(scores, rows)


def _mask_of(scores: tf.Tensor, rows: tf.RaggedTensor) -> tf.Tensor:
    """``[B, max_item]`` bool: True at the item ids of each batch row of ``rows``."""
    positions = tf.stack([rows.value_rowids(), rows.flat_values], axis=1)
    hits = tf.scatter_nd(positions, tf.ones_like(rows.flat_values, dtype=tf.int32),
                         tf.shape(scores, out_type=tf.int64))
    return hits > 0


def _top_k_head(scores: tf.Tensor, seen: Optional[tf.Tensor], top_k: int):
    """Top-K of all-item scores, without the ``seen`` items (when ``exclude_seen``).

    Returns:
        ``({'k', 'exclude_seen'} inputs, {'item_ids', 'scores'} outputs)``.
    """
    with tf.name_scope('recommend'):
        k = tf.placeholder_with_default(np.int32(top_k), [], name='k')
        exclude_seen = tf.placeholder_with_default(seen is not None, [], name='exclude_seen')
        if seen is not None:
            scores = tf.where(tf.logical_and(seen, exclude_seen), tf.fill(tf.shape(scores), -np.inf), scores)
        check = tf.debugging.assert_positive(k, message='recommend: k must be >= 1')
        with tf.control_dependencies([check]):
            values, ids = tf.nn.top_k(scores, tf.minimum(k, tf.shape(scores)[1]), sorted=True)
    return {'k': k, 'exclude_seen': exclude_seen}, {'item_ids': ids, 'scores': values}
