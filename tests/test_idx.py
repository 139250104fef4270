"""The IDX parser: round trips, MNIST headers, and every way a file can be malformed."""

import gzip

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tutorflow.datasets.idx import IDX_TYPES, DataError, encode_idx, parse_idx

idx_arrays = st.sampled_from(list(IDX_TYPES.values())).flatmap(
    lambda dtype: hnp.arrays(
        dtype, hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=5)
    )
)


@given(idx_arrays)
def test_round_trip_keeps_values_shape_and_type(array):
    parsed = parse_idx(encode_idx(array))
    assert parsed.shape == array.shape
    assert parsed.dtype == array.dtype.newbyteorder(">")
    np.testing.assert_array_equal(parsed, array)


def test_header_is_big_endian_magic_then_dimensions():
    images = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    data = encode_idx(images)
    assert int.from_bytes(data[:4], "big") == 2051
    assert [int.from_bytes(data[i : i + 4], "big") for i in (4, 8, 12)] == [2, 3, 4]
    assert data[16:] == images.tobytes()
    assert int.from_bytes(encode_idx(np.zeros(5, np.uint8))[:4], "big") == 2049


def test_parse_is_a_read_only_view_of_the_bytes():
    data = encode_idx(np.arange(10, dtype=np.uint8))
    parsed = parse_idx(data)
    assert not parsed.flags.writeable
    assert np.shares_memory(parsed, np.frombuffer(data, np.uint8))


def test_expected_magic_is_accepted_and_a_different_one_named():
    labels = encode_idx(np.arange(5, dtype=np.uint8))
    np.testing.assert_array_equal(parse_idx(labels, magic=2049), np.arange(5))
    with pytest.raises(DataError, match=r"labels\.idx: magic number 2049, expected 2051"):
        parse_idx(labels, "labels.idx", magic=2051)


@pytest.mark.parametrize("cut", [1, 16])
def test_truncated_file_is_reported(cut):
    data = encode_idx(np.ones((3, 4, 4), np.uint8))
    with pytest.raises(DataError, match=f"images.idx: truncated: {len(data) - cut} bytes"):
        parse_idx(data[:-cut], "images.idx")


def test_header_cut_inside_the_dimensions_is_reported():
    data = encode_idx(np.ones((3, 4, 4), np.uint8))
    with pytest.raises(DataError, match="truncated: 10 bytes, too short for its header"):
        parse_idx(data[:10])


def test_extra_bytes_are_reported():
    with pytest.raises(DataError, match="too long"):
        parse_idx(encode_idx(np.ones(4, np.uint8)) + b"\0")


@pytest.mark.parametrize("header", [b"\x01\x00\x08\x01", b"\x00\x00\x07\x01"])
def test_non_idx_magic_is_reported(header):
    with pytest.raises(DataError, match="is not an IDX one"):
        parse_idx(header + b"\0\0\0\0")


def test_gzipped_bytes_are_not_mistaken_for_idx():
    with pytest.raises(DataError, match="is not an IDX one"):
        parse_idx(gzip.compress(encode_idx(np.ones(4, np.uint8))))


def test_too_short_for_a_magic_number_and_errors_say_what_to_do():
    with pytest.raises(DataError, match="x.idx: only 2 bytes.*Delete it and run again"):
        parse_idx(b"\0\0", "x.idx")


def test_unstorable_type_is_refused():
    with pytest.raises(TypeError, match="IDX cannot store"):
        encode_idx(np.zeros(3, np.int64))
