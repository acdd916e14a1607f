"""``yjplan.memory.collect_once_after``: no cycle collection during the work, one after it."""

import gc
import weakref

import pytest

from yjplan.memory import collect_once_after


class Node:
    pass


def test_the_collector_is_off_during_the_work_and_the_cycles_are_freed_after():
    assert gc.isenabled()
    with collect_once_after():
        assert not gc.isenabled()
        node = Node()
        node.me = node  # a cycle: only the cycle collector frees it
        alive = weakref.ref(node)
        del node
        assert alive() is not None
    assert gc.isenabled()
    assert alive() is None


def test_a_collector_already_off_is_left_off():
    gc.disable()
    try:
        with collect_once_after():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_as_a_decorator_it_turns_the_collector_back_on_after_an_error():
    @collect_once_after()
    def failing():
        assert not gc.isenabled()
        raise ValueError("the work failed")

    with pytest.raises(ValueError, match="the work failed"):
        failing()
    assert gc.isenabled()
