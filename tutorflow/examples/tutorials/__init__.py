"""Import paths of TensorFlow 1.x's tutorials."""
