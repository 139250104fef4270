"""``tf.test``: checking a gradient against finite differences, as TF 1.x's test module does."""

from .gradient_checker import compute_gradient, compute_gradient_error

__all__ = ["compute_gradient", "compute_gradient_error"]
