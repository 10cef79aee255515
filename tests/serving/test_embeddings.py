"""HDF5 embeddings: the tables a model serves from, their attributes, a warm start from the file,
and item features read from an h5py dataset in blocks."""

import h5py
import numpy as np
import pytest

from openrec2.errors import DataError, ExportError
from openrec2.recommenders import BPR, VisualBPR
from openrec2.serving import export_embeddings, load_embeddings, read_embedding_attributes
from openrec2.utils import item_features

from model_cases import planted, small_model


def test_bpr_tables_reproduce_its_scores_and_warm_start_a_new_model(tmp_path):
    split = planted()
    sizes = dict(batch_size=64, max_user=split.max_user, max_item=split.max_item, dim_embed=8)
    path = str(tmp_path / 'bpr.h5')
    with BPR(lr=0.05, seed=1, **sizes) as model:
        model.fit(split.train, epochs=3, verbose=False, progress=False)
        scores = model.serve_all_items(np.arange(split.max_user))
        assert model.export_embeddings(path, metadata={'dataset': 'planted', 'settings': {'dim_embed': 8}}) == path
    with h5py.File(path, 'r') as handle:
        users, items, bias = handle['user_factors'][()], handle['item_factors'][()], handle['item_bias'][()]
        assert users.shape == (120, 8) and items.shape == (80, 8) and bias.shape == (80, 1)
        assert 'bias' in handle['item_bias'].attrs['description']
        assert sorted(handle['variables/bpr']) == ['item', 'item_bias', 'user']
    np.testing.assert_allclose(users @ items.T + bias.T, scores, rtol=1e-5, atol=1e-5)
    attributes = read_embedding_attributes(path)
    assert attributes['model'] == 'BPR' and attributes['dataset'] == 'planted'
    assert attributes['settings'] == {'dim_embed': 8} and attributes['openrec2_version'] and attributes['date']
    init = load_embeddings(path)
    assert set(init) == {'bpr/user/embedding', 'bpr/item/embedding', 'bpr/item_bias/embedding'}
    with BPR(seed=2, init_dict=init, **sizes) as warm:
        np.testing.assert_array_equal(warm.serve_all_items(np.arange(split.max_user)), scores)


@pytest.mark.parametrize('name', ['VBPR', 'VisualBPR', 'CDL', 'UserPMF'])
def test_content_models_write_their_projected_features_and_warm_start(name, tmp_path):
    model, data = small_model(name)
    path = str(tmp_path / f'{name}.h5')
    users = np.arange(data.split.max_user)
    with model:
        export_embeddings(model, path, chunk_size=50)  # users in three chunks
        scores = model.serve_all_items(users)
    with h5py.File(path, 'r') as handle:
        names = set(handle)
        assert handle['item_factors'].shape[0] == data.split.max_item
        assert handle['user_factors'].shape[0] == data.split.max_user
        if name == 'UserPMF':
            assert handle['projected_user_features'].shape[0] == data.split.max_user
        else:
            assert handle['projected_item_features'].shape[0] == data.split.max_item
    assert {'user_factors', 'item_factors', 'item_bias', 'variables'} <= names
    rebuilt, _ = small_model(name, init_dict=load_embeddings(path))
    with rebuilt:
        np.testing.assert_allclose(rebuilt.serve_all_items(users), scores, rtol=1e-6, atol=1e-6)


def test_a_file_without_variables_is_refused(tmp_path):
    path = str(tmp_path / 'other.h5')
    with h5py.File(path, 'w') as handle:
        handle['x'] = np.zeros(3)
    with pytest.raises(ExportError, match='variables'):
        load_embeddings(path)


def test_item_features_are_read_from_an_h5py_dataset_block_by_block(tmp_path, monkeypatch):
    monkeypatch.setattr(item_features, 'CHUNK_ROWS', 7)  # several blocks on a small matrix
    split = planted()
    features = np.random.default_rng(0).normal(size=(split.max_item, 5))
    path = str(tmp_path / 'features.h5')
    with h5py.File(path, 'w') as handle:
        handle['features'] = features  # float64 on disk
        bad = features.copy()
        bad[60, 2] = np.nan  # in a later block
        handle['bad'] = bad
        handle['short'] = features[:50]
    with h5py.File(path, 'r') as handle:
        loaded = item_features.load_item_features(handle['features'], split.max_item, 'test')
        assert loaded.dtype == np.float32
        np.testing.assert_array_equal(loaded, features.astype(np.float32))
        with pytest.raises(DataError, match='NaN'):
            item_features.load_item_features(handle['bad'], split.max_item, 'test')
        with pytest.raises(Exception, match=r'\[80, F\]'):
            item_features.load_item_features(handle['short'], split.max_item, 'test')
        with VisualBPR(batch_size=64, max_user=split.max_user, max_item=split.max_item, dim_embed=4,
                       item_f_source=handle['features'], dims=[4], seed=0) as model:
            np.testing.assert_array_equal(model.item_features, features.astype(np.float32))
