"""2-D convolution with stride 1 through the discrete Fourier transform (DFT).

A stride-1 convolution adds up shifted copies of the input, and the DFT turns a shift into a
product. Per frequency, the whole layer becomes one small matrix product over channels,
``(N, C) @ (C, C_out)``, instead of one product per output pixel and filter tap:

1. transform every input map: one matrix product with a fixed DFT matrix (``analysis``);
2. frequency by frequency, multiply by the transformed filter;
3. transform back, at the output positions only (``synthesis``).

The DFT is circular: a shift wraps around. Each axis gets a period ``L = H + max(pad)``, a few
cells longer than the input, so that what a window reads beyond the input (the zero padding)
never wraps onto real cells. numpy's FFT needs fewer operations for steps 1 and 3, but on
LeNet's 14x14 maps the dense DFT matrices run as large matrix products near BLAS's peak and
come out 2-3x faster (bench/bench_loops.py). Complex numbers are kept as [real | imaginary]
halves of real arrays, so that every step is one real matrix product.

On LeNet's conv2 (14x14, 32 -> 64 channels, 5x5) this takes two thirds of the multiply-adds of
im2col and none of its 31 MB patch matrix; on conv1 (one input channel) it would take 40 times
more. `conv.py` picks the method per layer with `multiply_adds`.
"""

from functools import lru_cache
from typing import NamedTuple

import numpy as np

from .padding import Window


class Periods(NamedTuple):
    """Where a stride-1 convolution's maps lie on the circular DFT grid."""

    lh: int  # period along H
    lw: int  # period along W
    input_cells: tuple  # (rows, cols) of the input, from 0
    output_cells: tuple  # (rows, cols) of the output, from 0
    filter_cells: tuple  # (rows, cols) of the filter taps: tap i reads input row oh + i - pad_top

    @property
    def frequencies(self) -> int:
        return self.lh * (self.lw // 2 + 1)  # a real map's spectrum is symmetric: half of W


def periods(in_hw, win: Window) -> Periods:
    """The DFT grid for a stride-1 window ``win`` over ``in_hw`` (H, W)."""
    h, w = in_hw
    return Periods(
        h + max(win.pad_top, win.pad_bottom),
        w + max(win.pad_left, win.pad_right),
        (tuple(range(h)), tuple(range(w))),
        (tuple(range(win.out_h)), tuple(range(win.out_w))),
        (
            tuple(range(-win.pad_top, win.kh - win.pad_top)),
            tuple(range(-win.pad_left, win.kw - win.pad_left)),
        ),
    )


def multiply_adds(n: int, c: int, c_out: int, g: Periods) -> int:
    """Multiply-adds of `conv2d` here: the two transforms and the products per frequency."""
    cells_in = len(g.input_cells[0]) * len(g.input_cells[1])
    cells_out = len(g.output_cells[0]) * len(g.output_cells[1])
    f2 = 2 * g.frequencies
    return n * (c * f2 * cells_in + 2 * f2 * c * c_out + c_out * f2 * cells_out)


def _angles(g: Periods, cells) -> np.ndarray:
    """2 pi (u a / lh + v b / lw) for frequencies (u, v) and cells (a, b): (U, V, A, B)."""
    rows, cols = (np.asarray(c, np.float64) for c in cells)
    u = np.arange(g.lh)[:, None, None, None]
    v = np.arange(g.lw // 2 + 1)[None, :, None, None]
    return 2 * np.pi * (u * rows[:, None] / g.lh + v * cols[None, :] / g.lw)


@lru_cache(maxsize=32)
def analysis(g: Periods, cells, dtype) -> np.ndarray:
    """(2F, A*B): the DFT of a map given at ``cells``, rows ordered (frequency, [re, im])."""
    angles = _angles(g, cells)
    dft = np.stack([np.cos(angles), -np.sin(angles)], axis=2)
    return _read_only(dft.reshape(2 * g.frequencies, -1).astype(dtype))


@lru_cache(maxsize=32)
def synthesis(g: Periods, cells, dtype) -> np.ndarray:
    """(A*B, 2F): the real map at ``cells`` from its half spectrum (frequency, [re, im]).

    Each frequency v of the half that is not its own mirror image stands for itself and its
    mirror, so it counts twice."""
    angles = _angles(g, cells)
    v = np.arange(g.lw // 2 + 1)
    weight = np.where((v == 0) | (2 * v == g.lw), 1.0, 2.0)[None, :, None, None] / (g.lh * g.lw)
    idft = np.stack([weight * np.cos(angles), -weight * np.sin(angles)], axis=2)
    return _read_only(np.ascontiguousarray(idft.reshape(2 * g.frequencies, -1).T, dtype))


def _read_only(matrix: np.ndarray) -> np.ndarray:
    matrix.flags.writeable = False  # cached and shared by every call
    return matrix


def spectrum(maps: np.ndarray, g: Periods, cells) -> np.ndarray:
    """(N, A, B, C) maps at ``cells`` -> (F, N, 2C): per frequency, [re | im] of every map."""
    n, a, b, c = maps.shape
    z = analysis(g, cells, maps.dtype) @ maps.transpose(1, 2, 0, 3).reshape(a * b, n * c)
    return z.reshape(-1, 2, n, c).transpose(0, 2, 1, 3).reshape(-1, n, 2 * c)


def maps_from(product: np.ndarray, g: Periods, cells) -> np.ndarray:
    """(F, 2, N, C) spectra -> (N, A, B, C) real maps at ``cells``."""
    f, _, n, c = product.shape
    maps = synthesis(g, cells, product.dtype) @ product.reshape(2 * f, n * c)
    return maps.reshape(len(cells[0]), len(cells[1]), n, c).transpose(2, 0, 1, 3).copy()


def filter_matrices(filter: np.ndarray, g: Periods, adjoint: bool = False):
    """The filter's spectrum as the two real matrices that `conv2d` (or, with ``adjoint``,
    `input_gradient`) multiplies a spectrum [re | im] by, per frequency: one gives the real
    part of the product, the other the imaginary part.

    The convolution multiplies x by conj(F): re = xr fr + xi fi, im = xr (-fi) + xi fr, so the
    matrices are [fr; fi] and [-fi; fr]. Its adjoint multiplies dy by F, transposed over the
    channels: re = dr fr - di fi, im = dr fi + di fr, so [fr; -fi] and [fi; fr]. Each is one
    product of the taps with a DFT matrix whose cos and sin rows are swapped or negated.

    Args:
        filter: (KH, KW, C, C_out).

    Returns:
        Two (F, 2C, C_out) arrays; with ``adjoint``, (F, 2C_out, C).
    """
    kh, kw, c, c_out = filter.shape
    if adjoint:
        filter, c, c_out = filter.transpose(0, 1, 3, 2), c_out, c
    taps = filter.reshape(kh * kw, c * c_out)
    dft = analysis(g, g.filter_cells, filter.dtype).reshape(-1, 2, kh * kw)
    cos, minus_sin = dft[:, 0], dft[:, 1]
    if adjoint:
        rows = ((cos, -minus_sin), (minus_sin, cos))
    else:
        rows = ((cos, minus_sin), (-minus_sin, cos))
    return tuple(
        (np.stack(pair, axis=1).reshape(-1, kh * kw) @ taps).reshape(-1, 2 * c, c_out)
        for pair in rows
    )


def conv2d(x_spec: np.ndarray, matrices, g: Periods) -> np.ndarray:
    """(N, OH, OW, C_out): the convolution of the maps whose `spectrum` is ``x_spec``
    (F, N, 2C) by the filter given as its `filter_matrices`."""
    return maps_from(_multiply(x_spec, *matrices), g, g.output_cells)


def input_gradient(dy_spec: np.ndarray, matrices, g: Periods) -> np.ndarray:
    """dx: (N, H, W, C) from dy's `spectrum` (F, N, 2C_out) and the filter's adjoint
    `filter_matrices`."""
    return maps_from(_multiply(dy_spec, *matrices), g, g.input_cells)


def filter_gradient(x_spec: np.ndarray, dy_spec: np.ndarray) -> np.ndarray:
    """The spectrum (F, 2, C, C_out) of the filter's gradient, summed over the batch, from the
    spectra of x (F, N, 2C) and dy (F, N, 2C_out). `filter_from` turns it into taps."""
    c, c_out = x_spec.shape[2] // 2, dy_spec.shape[2] // 2
    # blocks[f] = [[xr' dr, xr' di], [xi' dr, xi' di]]; x * conj(dy) summed over the batch is
    # re = xr' dr + xi' di, im = xi' dr - xr' di
    blocks = np.matmul(x_spec.transpose(0, 2, 1), dy_spec)
    d_spec = np.empty((len(blocks), 2, c, c_out), dy_spec.dtype)
    np.add(blocks[:, :c, :c_out], blocks[:, c:, c_out:], out=d_spec[:, 0])
    np.subtract(blocks[:, c:, :c_out], blocks[:, :c, c_out:], out=d_spec[:, 1])
    return d_spec


def filter_from(d_spec: np.ndarray, g: Periods) -> np.ndarray:
    """(F, 2, C, C_out) spectrum -> (KH, KW, C, C_out) taps."""
    _, _, c, c_out = d_spec.shape
    taps = synthesis(g, g.filter_cells, d_spec.dtype) @ d_spec.reshape(-1, c * c_out)
    return taps.reshape(len(g.filter_cells[0]), len(g.filter_cells[1]), c, c_out)


def _multiply(spec: np.ndarray, re_matrix: np.ndarray, im_matrix: np.ndarray) -> np.ndarray:
    """Per frequency, ``[sr | si] @ matrix`` for the real and the imaginary part of a complex
    product: spec (F, N, 2K) and the matrices (F, 2K, M) give (F, 2, N, M)."""
    out = np.empty((spec.shape[0], 2, spec.shape[1], re_matrix.shape[2]), spec.dtype)
    np.matmul(spec, re_matrix, out=out[:, 0])
    np.matmul(spec, im_matrix, out=out[:, 1])
    return out
