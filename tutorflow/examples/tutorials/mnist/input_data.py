"""The classic TF 1.x entry point to MNIST; the code lives in ``tutorflow.datasets.mnist``.

from tutorflow.examples.tutorials.mnist import input_data
mnist = input_data.read_data_sets("MNIST_data/", one_hot=True)
"""

from tutorflow.datasets.mnist import DataSet, Datasets, read_data_sets

__all__ = ["DataSet", "Datasets", "read_data_sets"]
