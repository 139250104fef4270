"""tutorflow: a readable TensorFlow 1.x-style engine on numpy and Numba.

Use it as ``import tutorflow as tf``.
"""
