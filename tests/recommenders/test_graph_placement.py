"""The placement hook: nothing active means the ordinary single process; placements nest."""

import pytest

from openrec2.recommenders.graph_placement import GraphPlacement, active_placement, placing


def test_placing_sets_the_active_placement_for_its_block_only():
    outer, inner = GraphPlacement(), GraphPlacement()
    assert active_placement() is None
    with placing(None):
        assert active_placement() is None
    with placing(outer):
        assert active_placement() is outer
        with placing(inner):
            assert active_placement() is inner
        assert active_placement() is outer
    with pytest.raises(RuntimeError), placing(outer):
        raise RuntimeError('left on an error too')
    assert active_placement() is None


def test_the_base_placement_changes_nothing_but_cannot_open_a_session():
    base = GraphPlacement()
    optimizer = object()
    assert base.partitioner() is None and base.wrap_optimizer(optimizer, 'default') is optimizer
    with base.device_scope():
        pass
    with pytest.raises(NotImplementedError):
        base.start_session(None, None, {}, None)
