"""Shared by the tests of work cut into parts (tutorflow/loops/split.py)."""

import contextlib

from tutorflow.loops import split


@contextlib.contextmanager
def cut_into(count: int):
    """Cut all work, however small, into up to ``count`` parts for a while."""
    saved = split.threads(), split.MIN_PART_VALUES, split.MIN_PART_MULTIPLY_ADDS
    split.MIN_PART_VALUES = split.MIN_PART_MULTIPLY_ADDS = 1
    split.set_threads(count)
    try:
        yield
    finally:
        split.set_threads(saved[0])
        split.MIN_PART_VALUES, split.MIN_PART_MULTIPLY_ADDS = saved[1:]
