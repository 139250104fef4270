"""Summary ops (``tf.summary``): each turns a tensor into a serialized ``Summary`` protocol
buffer, a string tensor that a ``FileWriter`` writes to an event file for TensorBoard.

    tf.summary.scalar("loss", loss)               # joins the SUMMARIES collection
    merged = tf.summary.merge_all()               # one string tensor holding them all
    writer.add_summary(sess.run(merged, feed), step)

The tag is the op's name with its name scopes (``layer1/weights/summaries/mean``); the old
names (``tf.scalar_summary("loss", loss)``) take the tag as given. As in TF, summary ops have
no gradient. The protocol buffers come from the tensorboard package.
"""

from __future__ import annotations

import struct
import zlib

import numpy as np

from ..framework import dtypes, ops, registry
from ..framework.errors import InvalidArgumentError
from ..framework.graph import GraphKeys, get_default_graph
from ..framework.protos import pb2, tensor_proto
from ._util import make
from .constant_ops import constant

# -- building ------------------------------------------------------------------------------------


def scalar(name, tensor, collections=None):
    """A summary of a number, drawn by TensorBoard's Scalars dashboard over the steps.

    Args:
        name: the op's name; with its name scopes, the tag TensorBoard shows.
        tensor: a number: a scalar tensor of a real dtype.
        collections: the graph collections it joins (default: SUMMARIES).

    Returns:
        A scalar string tensor: a serialized ``Summary``.

    Raises:
        TypeError: if the tensor's dtype is not one the summary takes.

    Taught in notebook 11 (when training goes wrong).
    """
    return _scoped_summary("ScalarSummary", "tags", name, tensor, dtypes.NUMBERS, collections)


def histogram(name, values, collections=None):
    """A summary of the distribution of ``values``, for TensorBoard's Histograms dashboard.

    The Distributions dashboard draws the same summaries over the steps.

    Args:
        name: the op's name; with its name scopes, the tag TensorBoard shows.
        values: a tensor of numbers, any shape; running it with NaN or Inf raises.
        collections: the graph collections it joins (default: SUMMARIES).

    Returns:
        A scalar string tensor: a serialized ``Summary``.

    Raises:
        TypeError: if the tensor's dtype is not one the summary takes.

    Taught in notebook 11 (when training goes wrong).
    """
    return _scoped_summary("HistogramSummary", "tag", name, values, dtypes.NUMBERS, collections)


def image(name, tensor, max_outputs=3, collections=None):
    """A summary of up to ``max_outputs`` images, for TensorBoard's Images dashboard.

    Floats are scaled to 0-255 one image at a time (the largest value becomes 255; with
    negative values, 0.0 becomes 128); uint8 is kept.

    Args:
        name: the op's name; with its name scopes, the tag TensorBoard shows.
        tensor: (batch, height, width, channels) images with 1 channel (grey), 3 (RGB) or
            4 (RGBA); float or uint8.
        max_outputs: how many of the batch's first images to keep.
        collections: the graph collections it joins (default: SUMMARIES).

    Returns:
        A scalar string tensor: a serialized ``Summary``.

    Raises:
        TypeError: if the tensor's dtype is not one the summary takes.

    Not used in the course; notebook 11 (when training goes wrong) shows TensorBoard with
    scalars and histograms.
    """
    attrs = {"max_images": int(max_outputs)}
    image_types = (dtypes.uint8, *dtypes.FLOATS)
    return _scoped_summary("ImageSummary", "tag", name, tensor, image_types, collections, attrs)


def text(name, tensor, collections=None):
    """A summary of a string tensor, shown (as Markdown) by TensorBoard's Text dashboard.

    Args:
        name: the op's name; with its name scopes, the tag TensorBoard shows.
        tensor: a string tensor.
        collections: the graph collections it joins (default: SUMMARIES).

    Returns:
        A scalar string tensor: a serialized ``Summary``.

    Raises:
        TypeError: if the tensor's dtype is not one the summary takes.

    Not used in the course; notebook 11 (when training goes wrong) shows TensorBoard with
    scalars and histograms.
    """
    attrs = {"plugin_name": "text"}
    strings = (dtypes.string,)
    return _scoped_summary("TensorSummaryV2", "tag", name, tensor, strings, collections, attrs)


def merge(inputs, collections=None, name=None):
    """One summary holding the values of all ``inputs``.

    Args:
        inputs: summary tensors; running it with a tag twice raises InvalidArgumentError.
        collections: the graph collections it joins (default: none).
        name: a name for the op (optional).

    Returns:
        A scalar string tensor: a serialized ``Summary``.

    Not used in the course; notebook 11 (when training goes wrong) shows TensorBoard with
    scalars and histograms.
    """
    inputs = [ops.convert_to_tensor(summary) for summary in inputs]
    with ops.name_scope(name, "Merge", inputs):
        merged = make("MergeSummary", inputs, dtypes.string, ())
    _collect(merged, collections or [])
    return merged


def merge_all(key=GraphKeys.SUMMARIES, scope=None, name=None):
    """``merge`` of every summary in the default graph's ``key`` collection.

    Args:
        key: the collection to read.
        scope: keep only the summaries whose names start with this scope (optional).
        name: a name for the op (optional).

    Returns:
        A scalar string tensor (a serialized ``Summary``), or None if there is no summary.

    Taught in notebook 11 (when training goes wrong).
    """
    summaries = get_default_graph().get_collection(key, scope)
    return merge(summaries, name=name) if summaries else None


def scalar_summary(tags, values, collections=None, name=None):
    """TF 0.x's ``tf.scalar_summary``: ``scalar`` with the tag as given, not scoped.

    Args:
        tags: the tag, a string (or a string tensor shaped like ``values``).
        values: the number(s) to record, a real tensor.
        collections: the graph collections it joins (default: SUMMARIES).
        name: a name for the op (optional).

    Returns:
        A scalar string tensor: a serialized ``Summary``.

    Not used in the course; notebook 11 (when training goes wrong) shows TensorBoard with
    scalars and histograms.
    """
    return _tagged_summary("ScalarSummary", "tags", tags, values, collections, name)


def histogram_summary(tag, values, collections=None, name=None):
    """TF 0.x's ``tf.histogram_summary``: ``histogram`` with the tag as given, not scoped.

    Args:
        tag: the tag, a string.
        values: a tensor of numbers, any shape.
        collections: the graph collections it joins (default: SUMMARIES).
        name: a name for the op (optional).

    Returns:
        A scalar string tensor: a serialized ``Summary``.

    Not used in the course; notebook 11 (when training goes wrong) shows TensorBoard with
    scalars and histograms.
    """
    return _tagged_summary("HistogramSummary", "tag", tag, values, collections, name)


def image_summary(tag, tensor, max_images=3, collections=None, name=None):
    """TF 0.x's ``tf.image_summary``: ``image`` with the tag as given, not scoped.

    Args:
        tag: the tag, a string.
        tensor: (batch, height, width, channels) images, as for ``image``.
        max_images: how many of the batch's first images to keep.
        collections: the graph collections it joins (default: SUMMARIES).
        name: a name for the op (optional).

    Returns:
        A scalar string tensor: a serialized ``Summary``.

    Not used in the course; notebook 11 (when training goes wrong) shows TensorBoard with
    scalars and histograms.
    """
    attrs = {"max_images": int(max_images)}
    return _tagged_summary("ImageSummary", "tag", tag, tensor, collections, name, attrs)


def _scoped_summary(op_type, tag_input, name, tensor, allowed, collections, attrs=None):
    """A summary op named ``name`` in the current scope, whose tag is that full name."""
    tensor = ops.convert_to_tensor(tensor)
    if tensor.dtype not in allowed:
        names = ", ".join(dtype.name for dtype in allowed)
        raise TypeError(f"{op_type} takes {names}, not {tensor.dtype.name}: {tensor!r}")
    with ops.name_scope(name, values=[tensor]) as scope:
        tag = constant(scope[:-1], name=tag_input)
        summary = make(op_type, [tag, tensor], dtypes.string, (), attrs, name=scope)
    _collect(summary, collections or [GraphKeys.SUMMARIES])
    return summary


def _tagged_summary(op_type, tag_input, tag, tensor, collections, name, attrs=None):
    tensor = ops.convert_to_tensor(tensor)
    with ops.name_scope(name, op_type, [tensor]) as scope:
        tag = ops.convert_to_tensor(tag, dtype=dtypes.string, name=tag_input)
        summary = make(op_type, [tag, tensor], dtypes.string, (), attrs, name=scope)
    _collect(summary, collections or [GraphKeys.SUMMARIES])
    return summary


def _collect(summary, collections) -> None:
    for key in collections:
        summary.graph.add_to_collection(key, summary)


# -- kernels: numpy values to Summary protos --------------------------------------------------


def _summary(values) -> bytes:
    return pb2("summary").Summary(value=values).SerializeToString()


def _tag(tag) -> str:
    return np.asarray(tag).reshape(()).item().decode()


@registry.kernel("ScalarSummary")
def _scalar_summary(op, tags, values):
    if np.shape(tags) != np.shape(values):
        raise InvalidArgumentError(
            None, op, f"tags and values not the same shape: {np.shape(tags)} != {np.shape(values)}"
        )
    Value = pb2("summary").Summary.Value
    pairs = zip(np.ravel(tags), np.ravel(values))
    return _summary([Value(tag=tag.decode(), simple_value=float(value)) for tag, value in pairs])


@registry.kernel("HistogramSummary")
def _histogram_summary(op, tag, values):
    values = np.asarray(values, dtype=np.float64).ravel()
    if not np.isfinite(values).all():
        raise InvalidArgumentError(None, op, f"Nan in summary histogram for: {_tag(tag)}")
    Value = pb2("summary").Summary.Value
    return _summary([Value(tag=_tag(tag), histo=histogram_proto(values))])


def _default_bucket_limits() -> np.ndarray:
    """TF's bucket edges: ±1e-12 growing by 10% up to ±1e20, with 0 and ±DBL_MAX at the ends."""
    edges = 1e-12 * 1.1 ** np.arange(int(np.ceil(np.log(1e32) / np.log(1.1))))
    positive = np.append(edges[edges < 1e20], np.finfo(np.float64).max)
    return np.concatenate([-positive[::-1], [0.0], positive])


_BUCKET_LIMITS = _default_bucket_limits()


def histogram_proto(values: np.ndarray):
    """A ``HistogramProto`` of finite ``values`` on TF's buckets (each bucket counts values
    below its limit and at or above the one before); runs of empty buckets become one."""
    counts = np.bincount(
        np.searchsorted(_BUCKET_LIMITS, values, side="right"), minlength=len(_BUCKET_LIMITS)
    )[: len(_BUCKET_LIMITS)]
    filled = np.flatnonzero(counts)
    # a run of empty buckets keeps its last one: before a filled bucket, or the final one
    keep = np.union1d(filled, [*(filled[filled > 0] - 1), len(_BUCKET_LIMITS) - 1])
    return pb2("summary").HistogramProto(
        min=values.min() if values.size else 0.0,
        max=values.max() if values.size else 0.0,
        num=values.size,
        sum=values.sum(),
        sum_squares=np.dot(values, values),
        bucket_limit=_BUCKET_LIMITS[keep].tolist(),
        bucket=counts[keep].astype(np.float64).tolist(),
    )


@registry.kernel("ImageSummary")
def _image_summary(op, tag, images):
    if np.ndim(images) != 4 or np.shape(images)[-1] not in (1, 3, 4):
        raise InvalidArgumentError(
            None, op, f"Tensor must be 4-D with last dim 1, 3, or 4, not {list(np.shape(images))}"
        )
    tag, count = _tag(tag), min(op.attrs["max_images"], len(images))
    Summary = pb2("summary").Summary
    values = []
    for i in range(count):
        pixels = images[i] if images.dtype == np.uint8 else _to_uint8(images[i])
        height, width, channels = pixels.shape
        picture = Summary.Image(
            height=height, width=width, colorspace=channels, encoded_image_string=png(pixels)
        )
        name = f"{tag}/image" if op.attrs["max_images"] == 1 else f"{tag}/image/{i}"
        values.append(Summary.Value(tag=name, image=picture))
    return _summary(values)


def _to_uint8(image: np.ndarray) -> np.ndarray:
    """One float image scaled to 0-255 as TF does; NaN and Inf pixels are red (or white)."""
    finite = np.isfinite(image)
    low, high = (image[finite].min(), image[finite].max()) if finite.any() else (0.0, 0.0)
    if low >= 0:
        scale, offset = (255.0 / high if high > 0 else 0.0), 0.0
    else:
        scale, offset = 127.0 / max(-low, high), 128.0
    pixels = (np.where(finite, image, 0.0) * scale + offset).astype(np.uint8)
    bad_color = np.array([255, 0, 0, 255], np.uint8)[: image.shape[-1]]
    return np.where(finite.all(axis=-1, keepdims=True), pixels, bad_color)


def png(pixels: np.ndarray) -> bytes:
    """``pixels`` (height, width, 1, 3 or 4 channels; uint8) as a PNG file."""
    height, width, channels = pixels.shape
    color_type = {1: 0, 3: 2, 4: 6}[channels]  # grey, RGB, RGBA

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = np.concatenate(  # each row starts with filter type 0 (none)
        [np.zeros((height, 1), np.uint8), pixels.reshape(height, width * channels)], axis=1
    )
    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    return b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            chunk(b"IHDR", header),
            chunk(b"IDAT", zlib.compress(rows.tobytes())),
            chunk(b"IEND", b""),
        ]
    )


@registry.kernel("TensorSummaryV2")
def _tensor_summary(op, tag, tensor):
    Summary = pb2("summary").Summary
    metadata = pb2("summary").SummaryMetadata()
    metadata.plugin_data.plugin_name = op.attrs["plugin_name"]
    value = Summary.Value(
        tag=_tag(tag), metadata=metadata, tensor=tensor_proto(tensor, op.inputs[1].dtype)
    )
    return _summary([value])


@registry.kernel("MergeSummary", takes=(dtypes.string,), parameter="inputs")
def _merge_summary(op, *summaries):
    Summary = pb2("summary").Summary
    merged, seen = Summary(), set()
    for serialized in summaries:
        for value in Summary.FromString(serialized).value:
            if value.tag in seen:
                raise InvalidArgumentError(
                    None, op, f"Duplicate tag {value.tag} found in summary inputs"
                )
            seen.add(value.tag)
            merged.value.append(value)
    return merged.SerializeToString()


registry.not_differentiable(
    "ScalarSummary", "HistogramSummary", "ImageSummary", "TensorSummaryV2", "MergeSummary"
)
