"""Tests of the Module base class: scopes, reuse and the errors around them."""

import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import VariableSharingError
from openrec2.modules.extractions import LatentFactor, MultiLayerFC
from openrec2.modules.module import Module, snake_case


def test_snake_case_of_class_names():
    assert snake_case("MultiLayerFC") == "multi_layer_fc"
    assert snake_case("LatentFactor") == "latent_factor"
    assert snake_case("SDAE") == "sdae"


def test_default_scope_is_snake_case_class_name(tf_run):
    module = MultiLayerFC(tf.zeros([2, 3]), dims=[4])
    assert module.scope == "multi_layer_fc"
    assert all(v.op.name.startswith("multi_layer_fc/") for v in module.get_variables())


def test_base_module_has_no_outputs_and_zero_loss(tf_run):
    module = Module()
    assert module.get_outputs() == []
    assert tf_run(module.get_loss()) == 0.0


def test_second_module_on_same_scope_without_reuse_is_a_sharing_error(tf_run):
    LatentFactor([5, 2], scope="user")
    with pytest.raises(VariableSharingError, match=r"^user: .*reuse=True"):
        LatentFactor([5, 2], scope="user")


def test_reuse_of_missing_variable_is_a_sharing_error(tf_run):
    with pytest.raises(VariableSharingError, match=r"^item: .*never created"):
        LatentFactor([5, 2], scope="item", reuse=True)


def test_reuse_shares_the_same_variable(tf_run):
    first = LatentFactor([5, 2], ids=[0, 1], scope="user")
    second = LatentFactor([5, 2], ids=[3], scope="user", reuse=True)
    assert first.embedding is second.embedding
    assert len(tf.global_variables()) == 1


def test_modules_inside_reusing_scope_reuse_without_being_told(tf_run):
    with tf.variable_scope("model"):
        LatentFactor([5, 2], scope="user")
    with tf.variable_scope("model", reuse=True):
        served = LatentFactor([5, 2], scope="user")
    assert served.embedding.op.name == "model/user/embedding"
    assert len(tf.global_variables()) == 1
