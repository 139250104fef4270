"""DataSet, the TF 1.x container that hands out shuffled mini-batches epoch after epoch."""

import math
from typing import Any, NamedTuple

import numpy as np


class DataSet:
    """One split of a dataset (images and labels) and where the mini-batch walk through it is.

    As in TF 1.x, ``images`` come in as uint8 of shape ``[N, rows, cols, 1]``. With
    ``dtype=float32`` they are scaled to [0, 1]; with ``uint8`` they are kept as they are.
    ``reshape=True`` flattens each image to ``rows * cols`` values.

    Args:
        images: uint8 array ``[N, rows, cols, 1]``.
        labels: array ``[N, ...]``: class ids, or one-hot rows.
        dtype: ``np.float32`` or ``np.uint8``, or any object with an ``as_numpy_dtype``
            attribute naming one of them (a tutorflow dtype).
        reshape: flatten images to ``[N, rows * cols]``.
        seed: seeds this DataSet's own shuffling; None shuffles differently every run.

    >>> data = DataSet(np.zeros((5, 2, 2, 1), np.uint8), np.arange(5), seed=0)
    >>> images, labels = data.next_batch(3)
    >>> images.shape, images.dtype, len(set(labels))
    ((3, 4), dtype('float32'), 3)
    """

    def __init__(
        self,
        images: np.ndarray,
        labels: np.ndarray,
        dtype: Any = np.float32,
        reshape: bool = True,
        seed: int | None = None,
    ):
        dtype = np.dtype(getattr(dtype, "as_numpy_dtype", dtype))
        if dtype not in (np.uint8, np.float32):
            raise TypeError(f"Invalid image dtype {dtype}, expected uint8 or float32")
        if len(images) != len(labels):
            raise ValueError(f"{len(images)} images but {len(labels)} labels")
        if reshape:
            images = images.reshape(len(images), math.prod(images.shape[1:]))
        if dtype == np.float32:
            # TF multiplied by float32(1/255); doing it in one ufunc call also converts in one pass.
            images = np.multiply(images, np.float32(1 / 255), dtype=np.float32)
        elif not images.flags.writeable:  # a view of the file's bytes: TF's arrays are writable
            images = images.copy()
        if not labels.flags.writeable:
            labels = labels.copy()
        self._images = images
        self._labels = labels
        self._num_examples = len(images)
        self._epochs_completed = 0
        self._index_in_epoch = 0
        # TF reordered the whole arrays at every epoch and sliced views out of them. Keeping an
        # order and gathering each batch copies the same bytes per epoch, without a second full
        # copy in memory, and leaves `images` and `labels` in file order.
        self._order = np.arange(self._num_examples)
        self._rng = np.random.default_rng(seed)

    @property
    def images(self) -> np.ndarray:
        return self._images

    @property
    def labels(self) -> np.ndarray:
        return self._labels

    @property
    def num_examples(self) -> int:
        return self._num_examples

    @property
    def epochs_completed(self) -> int:
        return self._epochs_completed

    def next_batch(
        self, batch_size: int, fake_data: bool = False, shuffle: bool = True
    ) -> tuple[np.ndarray, np.ndarray]:
        """Return the next ``batch_size`` examples as ``(images, labels)``.

        Each epoch, the first included, visits the examples in a fresh random order (file order
        if ``shuffle=False``). A batch that runs past the end of an epoch is the rest of that
        epoch followed by the start of the next one, and counts that epoch as completed.

        A batch always holds exactly ``batch_size`` examples, wrapping into as many epochs as
        it needs. TF 1.x did not: on 5 examples its ``next_batch(12)`` gave 10, then
        ``next_batch(1)`` gave 3, and ``next_batch(0)`` gave an empty batch.

        ``fake_data=True`` returns TF 1.x's stand-in batch instead, for tests without data:
        every image 784 ones, every label 0 (``[1, 0, …, 0]`` when the labels are one-hot).

        Raises:
            ValueError: ``batch_size`` is below 1, or the DataSet has no examples.
        """
        if batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size}")
        if fake_data:
            return self._fake_batch(batch_size)
        start = self._index_in_epoch
        if self._epochs_completed == 0 and start == 0 and shuffle:
            self._order = self._rng.permutation(self._num_examples)
        end = start + batch_size
        if end <= self._num_examples:  # the usual case: one slice of the current epoch
            self._index_in_epoch = end
            picked = self._order[start:end]
        else:
            picked = np.concatenate(self._across_epochs(start, batch_size, shuffle))
        return self._images[picked], self._labels[picked]

    def _fake_batch(self, batch_size: int) -> tuple[np.ndarray, np.ndarray]:
        image = np.ones(784, self._images.dtype)
        if self._labels.ndim == 2:  # one-hot
            label = np.eye(self._labels.shape[1], dtype=self._labels.dtype)[0]
        else:
            label = self._labels.dtype.type(0)
        return np.tile(image, (batch_size, 1)), np.array([label] * batch_size)

    def _across_epochs(self, start: int, batch_size: int, shuffle: bool) -> list[np.ndarray]:
        """The indices of a batch that runs past the end of the epoch, in pieces: the rest of
        this epoch, then the start of each next one (whole epochs for a batch that big)."""
        if self._num_examples == 0:
            raise ValueError("This DataSet has no examples to batch")
        pieces = [self._order[start:]]
        remaining = batch_size - len(pieces[0])
        while remaining > 0:
            self._epochs_completed += 1
            if shuffle:
                self._order = self._rng.permutation(self._num_examples)
            taken = min(remaining, self._num_examples)
            pieces.append(self._order[:taken])
            remaining -= taken
        self._index_in_epoch = taken
        return pieces


class FakeDataSet(DataSet):
    """TF 1.x's ``fake_data=True``: 10,000 examples that need no files, for tests. Every batch
    is the stand-in batch of ``next_batch(n, fake_data=True)``; ``images`` is empty."""

    def __init__(self, one_hot: bool = False, dtype: Any = np.float32):
        labels = np.zeros((0, 10), np.float32) if one_hot else np.zeros(0, np.uint8)
        super().__init__(np.zeros((0, 28, 28, 1), np.uint8), labels, dtype)
        self._num_examples = 10000

    def next_batch(
        self, batch_size: int, fake_data: bool = False, shuffle: bool = True
    ) -> tuple[np.ndarray, np.ndarray]:
        return super().next_batch(batch_size, fake_data=True)


class Datasets(NamedTuple):
    """The three splits ``read_data_sets`` returns, as in TF 1.x."""

    train: DataSet
    validation: DataSet
    test: DataSet
