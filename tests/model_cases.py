"""Small data and settings for every built-in model (the seven of the papers and the legacy zoo):
``CASES[name] = (data maker, ExperimentSettings options)``, shared by the tests that build each model."""

import numpy as np

from openrec2.datasets import make_planted_ctr, make_planted_implicit
from openrec2.datasets.data_split import build_data_split
from openrec2.datasets.knowledge_graph import KnowledgeGraph
from openrec2.datasets.sequences import sequences_from_split
from openrec2.experiments.experiment import ExperimentData, ExperimentSettings, model_keywords
from openrec2.experiments.model_registry import get_model_spec
from openrec2.utils.dataset import make_interactions


def planted(**extra):
    return make_planted_implicit(num_users=120, num_items=80, rank=3, per_user=12, seed=7, **extra)


def interaction_data(with_features=False):
    split = planted()
    if with_features:
        split.item_features = split.metadata['item_factors']
        split.user_features = split.metadata['user_factors']
    return ExperimentData('synthetic', split)


def featured():
    return interaction_data(True)


def kg_data():
    split = planted()
    factors = split.metadata['item_factors']
    topics = 80 + np.abs(factors).argmax(1)  # entity 80 + r: the item's strongest planted factor
    items = np.arange(80)
    graph = KnowledgeGraph('planted', np.concatenate([items, topics]), np.repeat([0, 1], 80),
                           np.concatenate([topics, items]), 83, 2, items.copy())
    kg_train, kg_test = graph.split(0.1, seed=0)
    return ExperimentData('synthetic', split, graph=graph, kg_train=kg_train, kg_test=kg_test)


def sequence_data():
    split = planted()
    parts = [split.train.data, split.validation.data, split.test.data]
    data = np.concatenate([make_interactions(p['user_id'], p['item_id']) for p in parts])
    stamped = make_interactions(data['user_id'], data['item_id'],
                                timestamp=np.random.default_rng(0).permutation(len(data)))
    sequences = sequences_from_split(build_data_split('planted', stamped, 120, 80, 'leave_one_out',
                                                      (0.8, 0.1, 0.1), 0))
    return ExperimentData('planted', None, sequences=sequences)


def ctr_data():
    return ExperimentData('synthetic', None, ctr=make_planted_ctr(num_users=60, num_items=40, num_examples=2000))


def next_item_data():
    from tests.recommenders.planted import planted_histories
    sequences = planted_histories(num_users=60, per_user=8)[0]
    return ExperimentData('planted', None, sequences=sequences)


_YOUTUBE = dict(dim=8, model_settings=dict(max_seq_len=5, softmax_samples=10))

CASES = {
    'BPR': (interaction_data, {}), 'PMF': (interaction_data, {}),
    'VBPR': (lambda: interaction_data(True), dict(epochs=6)),
    'AMR': (lambda: interaction_data(True), dict(epochs=6, model_settings=dict(adversarial_epochs=5))),
    'ConvNCF': (interaction_data, dict(dim=16, model_settings=dict(cnn_channels=[1, 8, 8], cnn_kernels=[4, 4],
                                                                   cnn_strides=[4, 4]))),
    'KTUP': (kg_data, dict(dim=16, lr=0.01, model_settings=dict(train_rec_step=1, train_kg_step=1))),
    'DIEN': (sequence_data, dict(dim=8, model_settings=dict(max_seq_length=6, mlp_hidden_size=[16],
                                                            attention_mlp_size=[8]))),
    'DLRM': (ctr_data, dict(dim=8, model_settings=dict(ln_top=[16]))),
    'RNNRec': (sequence_data, dict(dim=8, model_settings=dict(max_seq_len=5, num_units=8, softmax_samples=10))),
    'GMF': (interaction_data, {}), 'NBPR': (interaction_data, {}), 'CML': (interaction_data, {}),
    'WCML': (interaction_data, {}), 'UCML': (interaction_data, {}),
    'ItrMLP': (interaction_data, dict(dim=8, model_settings=dict(identity_steps=20))),
    'VisualPMF': (featured, dict(dim=8)), 'VisualGMF': (featured, dict(dim=8)), 'VisualBPR': (featured, dict(dim=8)),
    'ConcatVisualBPR': (featured, dict(dim=8)), 'VisualCML': (featured, dict(dim=8)), 'CDL': (featured, dict(dim=8)),
    'UserPMF': (featured, dict(dim=8)), 'UserVisualPMF': (featured, dict(dim=8)),
    'VanillaYouTubeRec': (next_item_data, _YOUTUBE), 'YouTubeRec': (next_item_data, _YOUTUBE),
    'WRMF': (interaction_data, {}),
}


def without_pretraining(spec, data, settings):
    """Keywords of a model that needs pretraining, started without it (random embeddings)."""
    if spec.name == 'ConvNCF':
        return dict(train_method='no_pretrain')
    rng = np.random.default_rng(0)
    return {f'pretrained_{side}_embeddings': rng.normal(0, 0.1, (rows, settings.dim)).astype(np.float32)
            for side, rows in (('user', data.split.max_user), ('item', data.split.max_item))}


def small_model(name, **overrides):
    """``(model, experiment data)`` of the registered model ``name`` on its small planted case
    (random initial values: the scores differ between items, which is what exports are compared on);
    ``overrides`` replace constructor keywords."""
    make_data, options = CASES[name]
    spec, data = get_model_spec(name), make_data()
    settings = ExperimentSettings(**{'epochs': 2, 'batch_size': 64, 'lr': 0.01, **options,
                                     'verbose': False}).resolved(spec)
    keywords = model_keywords(spec, data, settings)
    keywords.update(without_pretraining(spec, data, settings) if spec.pretrain else {})
    keywords.update(overrides)
    return spec.recommender_class()(**keywords), data
