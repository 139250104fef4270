"""``from tutorflow.examples.tutorials.mnist import input_data``, as in TensorFlow 1.x."""
