"""Hypothesis strategies shared by the tests: random kernel problems on small shapes."""

from typing import NamedTuple

import numpy as np
from hypothesis import strategies as st

dtypes = st.sampled_from([np.float32, np.float64])
paddings = st.sampled_from(["SAME", "VALID"])


class Problem(NamedTuple):
    """A batch x: (N, H, W, C), a window (ksize, strides, padding), and a seeded generator."""

    x: np.ndarray
    ksize: tuple[int, int]
    strides: tuple[int, int]
    padding: str
    rng: np.random.Generator

    def like(self, shape) -> np.ndarray:
        """Random normal values of the given shape in x's dtype."""
        return self.rng.standard_normal(shape).astype(self.x.dtype)


@st.composite
def problems(draw, max_n=3, max_hw=9, max_c=4, max_k=4, max_stride=3, ties=False, dtype=dtypes):
    """A random window over a random batch; VALID windows always fit in the input.

    With ``ties=True`` x holds a few distinct values, so that pooling windows tie for the max.
    """
    padding = draw(paddings)
    ksize = (draw(st.integers(1, max_k)), draw(st.integers(1, max_k)))
    strides = (draw(st.integers(1, max_stride)), draw(st.integers(1, max_stride)))
    low = ksize if padding == "VALID" else (1, 1)
    h, w = draw(st.integers(low[0], max_hw)), draw(st.integers(low[1], max_hw))
    shape = (draw(st.integers(1, max_n)), h, w, draw(st.integers(1, max_c)))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.integers(-2, 3, shape) if ties else rng.standard_normal(shape)
    return Problem(x.astype(draw(dtype)), ksize, strides, padding, rng)
