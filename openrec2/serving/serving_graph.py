"""The serving part of a recommender's graph, cut out of the graph that also trains it.

A recommender's one graph holds its training graph (samplers' placeholders, losses,
optimisers, possibly openrec2's custom kernels) and its serving graph over the same
variables. An export needs only what the serving outputs depend on: their ops, the
serving placeholders they read and the variables behind them.
:func:`serving_subgraph` finds that part, :func:`serving_variables` the variables it
reads with their current values; nothing is added to the model's (finalised) graph.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Dict, Sequence, Tuple

import numpy as np
import tensorflow.compat.v1 as tf

from openrec2.errors import ExportError, scoped

#: Op types that hold a variable (resource variables, and reference variables of old graphs).
VARIABLE_OPS = ('VarHandleOp', 'VariableV2', 'Variable')


def serving_subgraph(model, outputs: Sequence[tf.Tensor]) -> tf.GraphDef:
    """The part of ``model.graph`` that computes ``outputs``.

    Args:
        model: A :class:`~openrec2.recommenders.Recommender`.
        outputs: Tensors of its serving graph.

    Returns:
        A ``GraphDef`` with the ops the outputs depend on through data and control
        inputs (variables included), the graph's function library and its version.
    """
    needed, stack = set(), [tensor.op for tensor in outputs]
    while stack:
        op = stack.pop()
        if op.name not in needed:
            needed.add(op.name)
            stack.extend(t.op for t in op.inputs)
            stack.extend(op.control_inputs)
    graph_def = model.graph.as_graph_def()
    return _with_nodes(graph_def, [node for node in graph_def.node if node.name in needed])


def serving_variables(model, graph_def: tf.GraphDef) -> "OrderedDict[str, np.ndarray]":
    """Current values of the variables a serving sub-graph reads, by variable name.

    Args:
        model: The recommender the sub-graph was cut from.
        graph_def: Its :func:`serving_subgraph`.

    Returns:
        ``{variable name (e.g. 'bpr/user/embedding'): numpy array}`` in graph order.

    Raises:
        ExportError: A variable of the sub-graph is no variable the model knows, or
            is a reference variable (exports take resource variables only).
    """
    names = [node.name for node in graph_def.node if node.op in VARIABLE_OPS]
    reference = [node.name for node in graph_def.node if node.op in VARIABLE_OPS[1:]]
    if reference:
        raise ExportError(scoped(model.scope, f'the serving graph reads reference variables {reference}; '
                                              'build them as resource variables to export the model.'))
    known = {v.op.name: v for v in model.graph.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)
             + model.graph.get_collection(tf.GraphKeys.LOCAL_VARIABLES)}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ExportError(scoped(model.scope, f'the serving graph reads variables {unknown} that are in no '
                                              'variable collection of the model; they cannot be exported.'))
    values = model.sess.run([known[name] for name in names])
    return OrderedDict(zip(names, values))


def serving_placeholders(graph_def: tf.GraphDef) -> Dict[str, Tuple[bool, str]]:
    """Placeholders of a sub-graph: ``{op name: (has a default, dtype name)}``."""
    found = {}
    for node in graph_def.node:
        if node.op in ('Placeholder', 'PlaceholderWithDefault'):
            found[node.name] = (node.op == 'PlaceholderWithDefault', tf.as_dtype(node.attr['dtype'].type).name)
    return found


def without_variables(graph_def: tf.GraphDef) -> tf.GraphDef:
    """A copy of ``graph_def`` without its variable ops (an import maps their outputs to new
    variables through ``input_map``)."""
    return _with_nodes(graph_def, [node for node in graph_def.node if node.op not in VARIABLE_OPS])


def _with_nodes(graph_def: tf.GraphDef, nodes) -> tf.GraphDef:
    """A ``GraphDef`` of ``nodes`` with ``graph_def``'s version and function library."""
    part = tf.GraphDef()
    part.versions.CopyFrom(graph_def.versions)
    part.library.CopyFrom(graph_def.library)
    part.node.extend(nodes)
    return part
