"""Import paths that classic TensorFlow 1.x example code uses."""
