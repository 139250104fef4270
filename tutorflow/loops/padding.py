"""Window geometry shared by convolution and pooling, and the argument checks they share.

TF 1.x places a window every ``stride`` cells. ``"VALID"`` keeps only windows that fit inside
the input; ``"SAME"`` pads with zeros so that ``out = ceil(in / stride)``, putting the odd
padding cell (if any) after the input: bottom rows, right columns.
"""

from typing import NamedTuple

import numpy as np

PADDINGS = ("SAME", "VALID")


def conv_output_size(in_size: int, k: int, stride: int, padding: str) -> tuple[int, int, int]:
    """Output length and padding along one spatial axis, exactly as TF 1.x computes them.

    Args:
        in_size: input length (H or W).
        k: window length (KH or KW).
        stride: distance between the starts of neighbouring windows.
        padding: ``"SAME"`` or ``"VALID"``.

    Returns:
        ``(out_size, pad_before, pad_after)``.

    >>> conv_output_size(28, 5, 1, "SAME")
    (28, 2, 2)
    >>> conv_output_size(6, 3, 2, "SAME")  # uneven: the extra padding goes after
    (3, 0, 1)
    >>> conv_output_size(7, 3, 2, "VALID")
    (3, 0, 0)
    """
    if padding not in PADDINGS:
        raise ValueError(f'padding must be "SAME" or "VALID", got {padding!r}')
    if k < 1 or stride < 1:
        raise ValueError(f"window size and stride must be >= 1, got k={k}, stride={stride}")
    if padding == "VALID":
        if in_size < k:
            raise ValueError(f"VALID padding needs window <= input, got k={k} > input {in_size}")
        return (in_size - k) // stride + 1, 0, 0  # = ceil((in_size - k + 1) / stride)
    out = -(-in_size // stride)  # ceil(in_size / stride)
    total = max((out - 1) * stride + k - in_size, 0)
    return out, total // 2, total - total // 2


class Window(NamedTuple):
    """Where the windows of a 2-D convolution or pooling fall on an (H, W) input."""

    kh: int
    kw: int
    sh: int
    sw: int
    out_h: int
    out_w: int
    pad_top: int
    pad_bottom: int
    pad_left: int
    pad_right: int


def window(op: str, in_hw: tuple[int, int], ksize, strides, padding: str) -> Window:
    """The `Window` of ``ksize=(KH, KW)`` moved by ``strides=(sh, sw)`` over ``in_hw=(H, W)``."""
    ksize, strides = _pair(op, "ksize", ksize), _pair(op, "strides", strides)
    try:
        out_h, top, bottom = conv_output_size(in_hw[0], ksize[0], strides[0], padding)
        out_w, left, right = conv_output_size(in_hw[1], ksize[1], strides[1], padding)
    except ValueError as e:
        raise ValueError(f"{op}: {e} (input H, W = {tuple(in_hw)}, window {ksize})") from None
    return Window(*ksize, *strides, out_h, out_w, top, bottom, left, right)


def _pair(op: str, what: str, value) -> tuple[int, int]:
    pair = tuple(int(v) for v in value)
    if len(pair) != 2 or min(pair) < 1:
        raise ValueError(f"{op}: {what} must be two positive ints (h, w), got {value!r}")
    return pair


def check_nhwc(op: str, name: str, x) -> np.ndarray:
    """``x`` as a C-contiguous float32/float64 array of rank 4, else a ValueError saying why."""
    x = np.asarray(x)
    if x.ndim != 4:
        raise ValueError(f"{op}: expected {name} of rank 4 (N, H, W, C), got shape {x.shape}")
    if x.dtype not in (np.float32, np.float64):
        raise ValueError(f"{op}: {name} must be float32 or float64, got {x.dtype}")
    return np.ascontiguousarray(x)


def check_same_dtype(op: str, **arrays: np.ndarray) -> None:
    dtypes = {name: a.dtype for name, a in arrays.items()}
    if len(set(dtypes.values())) > 1:
        got = ", ".join(f"{name} {dtype}" for name, dtype in dtypes.items())
        raise ValueError(f"{op}: arrays must share one dtype, got {got}")


def check_shape(op: str, name: str, got: tuple, expected: tuple) -> None:
    if tuple(got) != tuple(expected):
        raise ValueError(f"{op}: expected {name} of shape {tuple(expected)}, got {tuple(got)}")
