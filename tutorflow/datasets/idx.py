"""IDX, the tiny binary format MNIST is stored in, and the error every dataset loader raises.

An IDX file is a 4-byte magic number, one big-endian uint32 per dimension, then the values in
C order. The magic number's third byte names the value type and its fourth the number of
dimensions: 2051 = 0x0803 is "unsigned bytes, 3 dimensions" (MNIST images), 2049 = 0x0801
"unsigned bytes, 1 dimension" (MNIST labels). The format is described at
http://yann.lecun.com/exdb/mnist/.
"""

import math

import numpy as np

# The type byte of the magic number -> how each value is stored (big-endian, as the format says).
IDX_TYPES = {
    0x08: np.dtype("u1"),
    0x09: np.dtype("i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


class DataError(ValueError):
    """A dataset file is missing, corrupt, or not the file that was expected."""


def bad_file(name: object, problem: str) -> DataError:
    """The error for a file that cannot be used: what is wrong with it and what to do."""
    return DataError(f"{name}: {problem}. Delete it and run again to fetch a fresh copy.")


def parse_idx(data: bytes, name: str = "IDX data", magic: int | None = None) -> np.ndarray:
    """Return the array stored in IDX bytes, as a read-only view of them (no copy).

    Args:
        data: the whole uncompressed file.
        name: how error messages refer to the data, usually its path.
        magic: the magic number the caller expects (e.g. 2051 for MNIST images), or None.

    Returns:
        The values, shaped as the header says.

    Raises:
        DataError: the header is malformed, the magic number is not ``magic``, or the file is
            shorter (truncated) or longer than its header promises.

    >>> parse_idx(bytes([0, 0, 0x08, 1, 0, 0, 0, 3, 7, 2, 1]), magic=2049)
    array([7, 2, 1], dtype=uint8)
    """
    if len(data) < 4:
        raise bad_file(name, f"only {len(data)} bytes, too short for an IDX header")
    found = int.from_bytes(data[:4], "big")
    type_code, ndim = data[2], data[3]
    if data[:2] != b"\0\0" or type_code not in IDX_TYPES:
        raise bad_file(name, f"magic number {found} is not an IDX one")
    if magic is not None and found != magic:
        raise bad_file(name, f"magic number {found}, expected {magic}")
    header_size = 4 + 4 * ndim
    if len(data) < header_size:
        raise bad_file(name, f"truncated: {len(data)} bytes, too short for its header")
    shape = tuple(int(n) for n in np.frombuffer(data, ">u4", count=ndim, offset=4))
    dtype = IDX_TYPES[type_code]
    size = header_size + math.prod(shape) * dtype.itemsize
    if len(data) != size:
        state = "truncated" if len(data) < size else "too long"
        raise bad_file(name, f"{state}: {len(data)} bytes, but its header promises {size}")
    return np.frombuffer(data, dtype, offset=header_size).reshape(shape)


def encode_idx(array: np.ndarray) -> bytes:
    """Return ``array`` as the bytes of an IDX file: the inverse of ``parse_idx``.

    >>> parse_idx(encode_idx(np.arange(6, dtype=np.uint8).reshape(2, 3))).tolist()
    [[0, 1, 2], [3, 4, 5]]
    """
    array = np.asarray(array)
    big_endian = array.dtype.newbyteorder(">")
    type_code = next((code for code, t in IDX_TYPES.items() if t == big_endian), None)
    if type_code is None:
        raise TypeError(f"IDX cannot store {array.dtype} values")
    header = bytes([0, 0, type_code, array.ndim]) + np.array(array.shape, ">u4").tobytes()
    return header + array.astype(IDX_TYPES[type_code]).tobytes()
