"""Tests of the ragged-row index helpers."""

import numpy as np

from openrec2.utils.ragged import ragged_positions


def test_ragged_positions_enumerates_rows_and_offsets():
    rows, offsets = ragged_positions(np.array([2, 0, 3]))
    np.testing.assert_array_equal(rows, [0, 0, 2, 2, 2])
    np.testing.assert_array_equal(offsets, [0, 1, 0, 1, 2])
