"""Tests of reading pretrained tables from a checkpoint."""

import numpy as np
import pytest

from openrec2.errors import CheckpointError, ShapeError
from openrec2.recommenders import BPR
from openrec2.recommenders.pretrained import read_pretrained_tables


def test_reads_tables_by_suffix_and_checks_shapes(tmp_path):
    with BPR(batch_size=4, max_user=3, max_item=5, dim_embed=2, seed=0) as bpr:
        prefix = bpr.save(str(tmp_path))
    tables = read_pretrained_tables(str(tmp_path), {"user/embedding": [3, 2], "item/embedding": [5, 2]}, "m")
    assert tables["user/embedding"].shape == (3, 2) and tables["item/embedding"].dtype == np.float32
    with pytest.raises(ShapeError, match=r"^m: pretrained 'bpr/item/embedding'.*shape \[5, 2\].*needs \[5, 3\]"):
        read_pretrained_tables(prefix, {"item/embedding": [5, 3]}, "m")
    with pytest.raises(CheckpointError, match="exactly one variable named '\\*/missing/embedding'"):
        read_pretrained_tables(prefix, {"missing/embedding": [5, 3]}, "m")
    with pytest.raises(CheckpointError, match="^m: no checkpoint at"):
        read_pretrained_tables(str(tmp_path / "none"), {"item/embedding": [5, 2]}, "m")
