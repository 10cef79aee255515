"""From a trained model to served recommendations: SavedModel export and HDF5 embeddings.

:mod:`.saved_model` writes a model's serving graph as a SavedModel with ``recommend``
(top-K) and ``score`` signatures that TensorFlow Serving and ``tf.saved_model.load``
read without openrec2; :mod:`.embeddings` writes factors, biases and projected item
features to HDF5 through ``h5py`` and reads them back as an ``init_dict``. Both work on
any :class:`~openrec2.recommenders.Recommender` from its declared serving graph
(:mod:`.serving_graph`). Models call in here from their ``export_*`` methods; this
package imports no recommender.
"""

from openrec2.serving.embeddings import export_embeddings, load_embeddings, read_embedding_attributes
from openrec2.serving.saved_model import (
    DEFAULT,
    RECOMMEND,
    RECOMMEND_K,
    SCORE,
    default_signatures,
    export_saved_model,
    read_export_metadata,
)
from openrec2.serving.serving_graph import serving_subgraph, serving_variables

__all__ = ['DEFAULT', 'RECOMMEND', 'RECOMMEND_K', 'SCORE', 'default_signatures', 'export_embeddings',
           'export_saved_model', 'load_embeddings', 'read_embedding_attributes', 'read_export_metadata',
           'serving_subgraph', 'serving_variables']
