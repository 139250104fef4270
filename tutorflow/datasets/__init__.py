"""Datasets for the course, fetched once into a shared cache and verified on every read.

    from tutorflow.datasets import mnist
    data = mnist.read_data_sets("MNIST_data/", one_hot=True)

``python -m tutorflow.datasets mnist fashion`` fetches them ahead of time.
"""

from . import fashion_mnist, mnist
from .dataset import DataSet, Datasets
from .fetch import ChecksumMismatch, DataUnavailable, cache_dir
from .idx import DataError
from .mnist import read_data_sets

__all__ = [
    "ChecksumMismatch",
    "DataError",
    "DataSet",
    "DataUnavailable",
    "Datasets",
    "cache_dir",
    "fashion_mnist",
    "mnist",
    "read_data_sets",
]
