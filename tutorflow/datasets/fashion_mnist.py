"""Fashion-MNIST, Zalando's drop-in replacement for MNIST: same files, same format, clothes.

from tutorflow.datasets import fashion_mnist
fashion = fashion_mnist.read_data_sets("fashion_data/", one_hot=True)
"""

import os
from typing import Any

import numpy as np

from . import mnist
from .dataset import Datasets

CLASS_NAMES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)


def read_data_sets(
    train_dir: str | os.PathLike,
    fake_data: bool = False,
    one_hot: bool = False,
    dtype: Any = np.float32,
    reshape: bool = True,
    validation_size: int = 5000,
    seed: int | None = None,
    source_url: str | None = None,
) -> Datasets:
    """``mnist.read_data_sets(..., dataset="fashion")``: the same splits, of Fashion-MNIST."""
    return mnist.read_data_sets(
        train_dir,
        fake_data,
        one_hot,
        dtype,
        reshape,
        validation_size,
        seed,
        source_url,
        dataset="fashion",
    )
