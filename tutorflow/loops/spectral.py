"""2-D convolution with stride 1 through the discrete Fourier transform (DFT).

A stride-1 convolution adds up shifted copies of the input, and the DFT turns a shift into a
product. Per frequency, the whole layer becomes one small matrix product over channels,
``(C_out, C) @ (C, N)``, instead of one product per output pixel and filter tap:

1. transform every input map, one axis at a time: along W, then along H (``spectrum``);
2. frequency by frequency, multiply by the transformed filter;
3. transform back, along H and then along W, at the output positions only (``maps_from``).

The DFT is circular: a shift wraps around. Each axis gets a period ``L = H + max(pad)``, a few
cells longer than the input, so that what a window reads beyond the input (the zero padding)
never wraps onto real cells.

Each axis's transform is one matrix product with a fixed DFT matrix, over the maps of a block
of channels, all images at once: on LeNet's 14x14 maps such products run near BLAS's peak,
where numpy's FFT makes thousands of small calls and is slower (bench/bench_loops.py).
Transforming one axis at a time takes a fifth of the multiply-adds of one 2-D DFT matrix.
Complex numbers are kept as [real, imaginary] parts along a real axis, so that every step is a
real matrix product.

Spectra are laid out (F, 2C, N): per frequency, the real parts of the C channels, then their
imaginary parts, each with the batch last. Frequencies run (v, u): v along W, of which a real
map needs only the first half (``W // 2 + 1``), and u along H.

On LeNet's conv2 (14x14, 32 -> 64 channels, 5x5) this takes a quarter of the multiply-adds of
im2col and none of its 31 MB patch matrix; on conv1 (one input channel) it would take five times
more. `conv.py` picks the method per layer with `multiply_adds`.
"""

from functools import lru_cache
from typing import NamedTuple

import numpy as np
from numba import njit

from . import split
from .padding import Window

# Channels transformed together: with LeNet's 50 images, a block's maps (0.6 MB) and spectra
# (0.9 MB) fit in a core's 2 MB L2 cache (15% faster than all channels at once).
BLOCK_CHANNELS = 16


class Periods(NamedTuple):
    """Where a stride-1 convolution's maps lie on the circular DFT grid."""

    lh: int  # period along H
    lw: int  # period along W
    input_cells: tuple  # (rows, cols) of the input, from 0
    output_cells: tuple  # (rows, cols) of the output, from 0
    filter_cells: tuple  # (rows, cols) of the filter taps: tap i reads input row oh + i - pad_top

    @property
    def half_w(self) -> int:
        """Frequencies along W that a real map needs: the rest mirror them."""
        return self.lw // 2 + 1

    @property
    def frequencies(self) -> int:
        return self.half_w * self.lh


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
    """Multiply-adds of `conv2d` here: the transforms of x, the products per frequency, and the
    transforms back."""
    (a, b), (oa, ob) = map(len, g.input_cells), map(len, g.output_cells)
    v2, u2 = 2 * g.half_w, 2 * g.lh
    into = n * c * (a * b * v2 + g.half_w * u2 * 2 * a)
    products = g.frequencies * 2 * c_out * 2 * c * n
    back = n * c_out * (g.half_w * 2 * oa * u2 + oa * ob * v2)
    return into + products + back


def _phases(period: int, frequencies: int, cells) -> np.ndarray:
    """exp(-2 pi i f x / period) for frequencies f (rows) and cells x (columns)."""
    f = np.arange(frequencies)[:, None]
    return np.exp(-2j * np.pi * f * np.asarray(cells)[None, :] / period)


def _parts(z: np.ndarray) -> np.ndarray:
    """(2, 2, M, K): the real matrix [[re, -im], [im, re]] that multiplies like complex ``z``
    (M, K), indexed (part out, part in, m, k)."""
    return np.array([[z.real, -z.imag], [z.imag, z.real]])


@lru_cache(maxsize=64)
def _along_w(g: Periods, cols, dtype) -> np.ndarray:
    """(2V, B): real maps over ``cols`` -> half spectra along W, rows (v, [re, im])."""
    z = _phases(g.lw, g.half_w, cols)
    return _read_only(np.stack([z.real, z.imag], axis=1).reshape(-1, len(cols)).astype(dtype))


@lru_cache(maxsize=64)
def _along_h(g: Periods, rows, dtype) -> np.ndarray:
    """(2U, 2A): spectra along W -> along both axes; columns ([re, im], a), rows (u, [re, im])."""
    real = _parts(_phases(g.lh, g.lh, rows)).transpose(2, 0, 1, 3)
    return _read_only(real.reshape(2 * g.lh, 2 * len(rows)).astype(dtype))


@lru_cache(maxsize=64)
def _back_along_h(g: Periods, rows, dtype) -> np.ndarray:
    """(2A, 2U): the inverse of `_along_h` at ``rows``; columns (u, [re, im]), rows
    ([re, im], a)."""
    real = _parts(_phases(g.lh, g.lh, rows).T.conj()).transpose(0, 2, 3, 1)
    return _read_only(real.reshape(2 * len(rows), 2 * g.lh).astype(dtype))


@lru_cache(maxsize=64)
def _back_along_w(g: Periods, cols, dtype) -> np.ndarray:
    """(B, 2V): half spectra along W, columns (v, [re, im]) -> real maps at ``cols``, scaled by
    1 / (LH LW) for both axes. A frequency v that is not its own mirror image stands for itself
    and its mirror, so it counts twice."""
    z = (_half_weights(g)[:, None] * _phases(g.lw, g.half_w, cols)).T.conj()
    real_part = np.stack([z.real, -z.imag], axis=2)  # of z times [re, im]
    return _read_only(real_part.reshape(len(cols), -1).astype(dtype))


def _half_weights(g: Periods) -> np.ndarray:
    """(V,): 1 / (LH LW), twice over for a frequency along W that stands for its mirror too."""
    v = np.arange(g.half_w)
    return np.where((v == 0) | (2 * v == g.lw), 1.0, 2.0) / (g.lh * g.lw)


@lru_cache(maxsize=32)
def analysis(g: Periods, cells, dtype) -> np.ndarray:
    """(2F, A*B): the 2-D DFT of a map given at ``cells``, rows (v, u, [re, im]). For the
    filter, whose few taps need no transform one axis at a time."""
    z = np.einsum("vb,ua->vuab", _phases(g.lw, g.half_w, cells[1]), _phases(g.lh, g.lh, cells[0]))
    return _read_only(
        np.stack([z.real, z.imag], axis=2).reshape(2 * g.frequencies, -1).astype(dtype)
    )


@lru_cache(maxsize=32)
def synthesis(g: Periods, cells, dtype) -> np.ndarray:
    """(A*B, 2F): the real map at ``cells`` from its half spectrum, columns (v, u, [re, im])."""
    along_w = _half_weights(g)[:, None] * _phases(g.lw, g.half_w, cells[1]).conj()
    z = np.einsum("vb,ua->abvu", along_w, _phases(g.lh, g.lh, cells[0]).conj())
    idft = np.stack([z.real, -z.imag], axis=-1)  # the real part of z times [re, im]
    return _read_only(idft.reshape(len(cells[0]) * len(cells[1]), -1).astype(dtype))


def _read_only(matrix: np.ndarray) -> np.ndarray:
    matrix.flags.writeable = False  # cached and shared by every call
    return matrix


def spectrum(maps: np.ndarray, g: Periods, cells) -> np.ndarray:
    """(N, A, B, C) maps at ``cells`` -> (F, 2C, N) spectra."""
    n, a, b, c = maps.shape
    along_w, along_h = _along_w(g, cells[1], maps.dtype), _along_h(g, cells[0], maps.dtype)
    both = np.empty((g.half_w, 2 * g.lh, c * n), maps.dtype)

    def block(c0, c1):
        by_col = np.empty((b, a, c1 - c0, n), maps.dtype)
        _to_columns(maps, c0, by_col)
        # rows (v, [re, im]), columns (a, c, n)
        by_row = np.matmul(along_w, by_col.reshape(b, -1)).reshape(g.half_w, 2 * a, -1)
        np.matmul(along_h, by_row, out=both[:, :, c0 * n : c1 * n])

    _by_channel_blocks(c, block, n * (a * b + 2 * g.frequencies))
    return both.reshape(g.frequencies, 2 * c, n)


def maps_from(spectra: np.ndarray, g: Periods, cells) -> np.ndarray:
    """(F, 2C, N) spectra -> (N, A, B, C) real maps at ``cells``."""
    _, two_c, n = spectra.shape
    a, b, c = len(cells[0]), len(cells[1]), two_c // 2
    back_along_h = _back_along_h(g, cells[0], spectra.dtype)
    back_along_w = _back_along_w(g, cells[1], spectra.dtype)
    by_frequency = spectra.reshape(g.half_w, 2 * g.lh, c * n)
    maps = np.empty((n, a, b, c), spectra.dtype)

    def block(c0, c1):
        # rows (v, [re, im]), columns (a, c, n)
        by_row = np.matmul(back_along_h, by_frequency[:, :, c0 * n : c1 * n])
        by_col = np.matmul(back_along_w, by_row.reshape(2 * g.half_w, -1))
        _from_columns(by_col.reshape(b, a, c1 - c0, n), c0, maps)

    _by_channel_blocks(c, block, n * (a * b + 2 * g.frequencies))
    return maps


@njit(cache=True, nogil=True)
def _to_columns(maps, c0, by_col):
    """by_col (B, A, K, N) = channels c0:c0 + K of maps (N, A, B, C), the batch innermost. A
    Numba loop, not numpy's copy: numpy's holds the GIL, so two blocks' copies would not run
    at once."""
    columns, rows, channels, images = by_col.shape
    for j in range(columns):
        for i in range(rows):
            for c in range(channels):
                for n in range(images):
                    by_col[j, i, c, n] = maps[n, i, j, c0 + c]


@njit(cache=True, nogil=True)
def _from_columns(by_col, c0, maps):
    """The inverse of `_to_columns`: channels c0:c0 + K of maps (N, A, B, C) from by_col."""
    columns, rows, channels, images = by_col.shape
    for n in range(images):
        for i in range(rows):
            for j in range(columns):
                for c in range(channels):
                    maps[n, i, j, c0 + c] = by_col[j, i, c, n]


def _by_channel_blocks(channels: int, transform, values_each: int) -> None:
    """Calls ``transform(c0, c1)`` on blocks of `BLOCK_CHANNELS` channels, blocks in parts at
    once: a block's maps and spectra stay in a core's cache from its copy to its products."""

    def blocks(c0, c1):
        for start in range(c0, c1, BLOCK_CHANNELS):
            transform(start, min(start + BLOCK_CHANNELS, c1))

    split.over(channels, blocks, values_each)


def filter_matrices(filter: np.ndarray, g: Periods):
    """The filter's spectrum as the two real matrices that `conv2d` multiplies a spectrum
    [re; im] by, transposed, per frequency: one gives the real part of the product, the other
    the imaginary part. `input_gradient` multiplies by the same two, untransposed.

    The convolution multiplies x by conj(F): re = fr' xr + fi' xi, im = -fi' xr + fr' xi, so the
    matrices are [fr; fi] and [-fi; fr]. One product of the taps with the DFT matrix gives
    [fr; fi]; the other matrix is the same blocks, swapped and one negated.

    Args:
        filter: (KH, KW, C, C_out).

    Returns:
        Two (F, 2C, C_out) arrays.
    """
    kh, kw, c, c_out = filter.shape
    dft = analysis(g, g.filter_cells, filter.dtype)  # rows (v, u, [re, im])
    parts = split.matmul(dft, filter.reshape(kh * kw, c * c_out)).reshape(-1, 2, c, c_out)
    swapped = np.empty_like(parts)
    np.negative(parts[:, 1], out=swapped[:, 0])
    swapped[:, 1] = parts[:, 0]
    return parts.reshape(-1, 2 * c, c_out), swapped.reshape(-1, 2 * c, c_out)


def conv2d(x_spec: np.ndarray, matrices, g: Periods) -> np.ndarray:
    """(N, OH, OW, C_out): the convolution of the maps whose `spectrum` is ``x_spec``
    (F, 2C, N) by the filter given as its `filter_matrices`."""
    return maps_from(_multiply(x_spec, *matrices), g, g.output_cells)


def input_gradient(dy_spec: np.ndarray, matrices, g: Periods) -> np.ndarray:
    """dx: (N, H, W, C) from dy's `spectrum` (F, 2C_out, N) and the filter's
    `filter_matrices`.

    It multiplies dy by the transpose of what `conv2d` multiplies x by: [[fr', fi'],
    [-fi', fr']]' = [[fr, -fi], [fi, fr]], which is re_matrix @ dr + im_matrix @ di."""
    re_matrix, im_matrix = matrices
    f, two_c, c_out = re_matrix.shape
    n = dy_spec.shape[2]
    dx_spec = np.empty((f, two_c, n), dy_spec.dtype)

    def frequencies(f0, f1):  # both products of a frequency, and their sum, in turn
        np.matmul(re_matrix[f0:f1], dy_spec[f0:f1, :c_out], out=dx_spec[f0:f1])
        dx_spec[f0:f1] += np.matmul(im_matrix[f0:f1], dy_spec[f0:f1, c_out:])

    split.over(f, frequencies, 2 * two_c * (c_out + n))
    return maps_from(dx_spec, g, g.input_cells)


def filter_gradient(x_spec: np.ndarray, dy_spec: np.ndarray) -> np.ndarray:
    """The spectrum (F, 2, C, C_out) of the filter's gradient, summed over the batch, from the
    spectra of x (F, 2C, N) and dy (F, 2C_out, N). `filter_from` turns it into taps."""
    f, two_c, _ = x_spec.shape
    d_spec = np.empty((f, 2, two_c // 2, dy_spec.shape[1] // 2), dy_spec.dtype)
    dy_t = dy_spec.transpose(0, 2, 1)

    def frequencies(f0, f1):  # each part combines its products while they are in the caches
        _real_and_imaginary(np.matmul(x_spec[f0:f1], dy_t[f0:f1]), d_spec[f0:f1])

    split.over(f, frequencies, two_c * dy_spec.shape[1])
    return d_spec


@njit(cache=True, nogil=True)
def _real_and_imaginary(blocks, d_spec):
    """d_spec (F, 2, C, C_out) from blocks[f] = [[xr dr', xr di'], [xi dr', xi di']]: x times
    conj(dy), summed over the batch, is re = xr dr' + xi di', im = xi dr' - xr di'."""
    c, c_out = d_spec.shape[2], d_spec.shape[3]
    for f in range(d_spec.shape[0]):
        for i in range(c):
            for j in range(c_out):
                d_spec[f, 0, i, j] = blocks[f, i, j] + blocks[f, c + i, c_out + j]
                d_spec[f, 1, i, j] = blocks[f, c + i, j] - blocks[f, i, c_out + j]


def filter_from(d_spec: np.ndarray, g: Periods) -> np.ndarray:
    """(F, 2, C, C_out) spectrum -> (KH, KW, C, C_out) taps."""
    _, _, c, c_out = d_spec.shape
    taps = split.matmul(synthesis(g, g.filter_cells, d_spec.dtype), d_spec.reshape(-1, c * c_out))
    return taps.reshape(len(g.filter_cells[0]), len(g.filter_cells[1]), c, c_out)


def _multiply(spec: np.ndarray, re_matrix: np.ndarray, im_matrix: np.ndarray) -> np.ndarray:
    """Per frequency, ``matrix' @ [sr; si]`` for the real and the imaginary part of a complex
    product: spec (F, 2K, N) and the matrices (F, 2K, M) give (F, 2M, N)."""
    f, two_k, n = spec.shape
    m = re_matrix.shape[2]
    out = np.empty((f, 2, m, n), spec.dtype)

    def frequencies(f0, f1):  # both products of a frequency in turn
        np.matmul(re_matrix[f0:f1].transpose(0, 2, 1), spec[f0:f1], out=out[f0:f1, 0])
        np.matmul(im_matrix[f0:f1].transpose(0, 2, 1), spec[f0:f1], out=out[f0:f1, 1])

    split.over(f, frequencies, 2 * (two_k * m + m * n) + two_k * n)
    return out.reshape(f, -1, n)
