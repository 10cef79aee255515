"""Recurrent building blocks written with plain TensorFlow ops (no Keras, no rnn_cell):
the GRU and LSTM cells, its attentional variants AGRU / AUGRU of DIEN (Zhou et al., "Deep Interest
Evolution Network for Click-Through Rate Prediction", AAAI 2019), and a length-aware
unroll."""

from openrec2.modules.recurrent.agru_cell import AGRUCell
from openrec2.modules.recurrent.augru_cell import AUGRUCell
from openrec2.modules.recurrent.dynamic_gru import dynamic_gru
from openrec2.modules.recurrent.gru_cell import GRUCell
from openrec2.modules.recurrent.lstm_cell import LSTMCell

__all__ = ['AGRUCell', 'AUGRUCell', 'GRUCell', 'LSTMCell', 'dynamic_gru']
