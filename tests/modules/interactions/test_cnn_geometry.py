"""Tests of the CNN tower geometry checks."""

import pytest

from openrec2.errors import ShapeError
from openrec2.modules.interactions.cnn_geometry import tower_sizes, valid_conv_size


def test_sizes_of_valid_convolutions():
    assert valid_conv_size(64, 4, 4) == 16
    assert valid_conv_size(10, 3, 2) == 4
    assert tower_sizes(64, [1, 32, 32, 32, 32], [4, 4, 2, 2], [4, 4, 2, 2], "m") == [64, 16, 4, 2, 1]
    assert tower_sizes(10, [1, 2, 3], [3, 4], [2, 1], "m") == [10, 4, 1]


def test_tower_that_misses_one_by_one_names_layer_and_sizes():
    with pytest.raises(ShapeError, match=r"^m: the last conv layer \(1\) outputs 2x2.*\[10, 2\]"):
        tower_sizes(10, [1, 2], [5], [5], "m")
    with pytest.raises(ShapeError, match=r"^m: conv layer 2 has kernel 5x5 but its input is only 4x4"):
        tower_sizes(10, [1, 2, 2], [3, 5], [2, 1], "m")
