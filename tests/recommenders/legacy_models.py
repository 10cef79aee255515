"""Recommenders written against the legacy OpenRec Recommender API (as legacy subclasses did), for the tests."""

import tensorflow.compat.v1 as tf

from openrec2.modules.extractions import LatentFactor
from openrec2.modules.fusions import Fusion
from openrec2.modules.interactions import PointwiseMSE
from openrec2.recommenders import Recommender


class LegacyStylePMF(Recommender):
    """Dot-product PMF declared with ``_add_input`` / ``_input_mappings`` / ``self._scores``."""

    def __init__(self, batch_size, dim_embed, max_user, max_item, label_name='labels', **kwargs):
        self._dim_embed = dim_embed
        self._label_name = label_name
        self.built = []
        super(LegacyStylePMF, self).__init__(batch_size=batch_size, max_user=max_user, max_item=max_item, **kwargs)

    def _build_user_inputs(self, train=True):
        self._add_input(name='user_id', dtype='int32', shape=[None], train=train)

    def _build_item_inputs(self, train=True):
        if train:
            self._add_input(name='item_id', dtype='int32', shape=[None])
        else:
            self._add_input(name='item_id', dtype='none', train=False)

    def _build_extra_inputs(self, train=True):
        if train:
            self._add_input(name=self._label_name, dtype='float32', shape=[None])

    def _input_mappings(self, batch_data, train):
        if train:
            return {self._get_input('user_id'): batch_data['user_id_input'],
                    self._get_input('item_id'): batch_data['item_id_input'],
                    self._get_input('labels'): batch_data['labels']}
        return {self._get_input('user_id', train=False): batch_data['user_id_input']}

    def _build_user_extractions(self, train=True):
        self._add_module('user_vec', LatentFactor(init='normal', ids=self._get_input('user_id', train=train),
                                                  shape=[self._max_user, self._dim_embed], scope='user',
                                                  reuse=not train), train=train)

    def _build_item_extractions(self, train=True):
        self._add_module('item_vec', LatentFactor(init='normal', ids=self._get_input('item_id', train=train),
                                                  shape=[self._max_item, self._dim_embed], scope='item',
                                                  reuse=not train), train=train)
        self._add_module('item_bias', LatentFactor(init='zero', ids=self._get_input('item_id', train=train),
                                                   shape=[self._max_item, 1], scope='item_bias',
                                                   reuse=not train), train=train)

    def _build_default_interactions(self, train=True):
        self.built.append(('default_interactions', train))
        self._add_module('interaction', PointwiseMSE(
            user=self._get_module('user_vec', train=train).get_outputs()[0],
            item=self._get_module('item_vec', train=train).get_outputs()[0],
            item_bias=self._get_module('item_bias', train=train).get_outputs()[0],
            labels=self._get_input('labels'), a=1.0, b=1.0, train=train, scope='PointwiseMSE', reuse=not train),
            train=train)

    def _build_serving_graph(self):
        super(LegacyStylePMF, self)._build_serving_graph()
        self._scores = self._get_module('interaction', train=False).get_outputs()[0]


class LegacyScale(Fusion):
    """A legacy-style fusion: sets ``self._module_list`` and calls ``Fusion(scope=, reuse=)``."""

    def __init__(self, module_list, factor, scope=None, reuse=False):
        self._module_list = module_list
        self._factor = factor
        super(LegacyScale, self).__init__(scope=scope, reuse=reuse)

    def _build_shared_graph(self):
        with tf.variable_scope(self._scope, reuse=self._reuse):
            outputs = sum([module.get_outputs() for module in self._module_list], [])
            self._outputs.append(self._factor * tf.add_n(outputs))
