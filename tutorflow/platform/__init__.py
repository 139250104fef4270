"""The support APIs classic TF 1.x programs lean on: ``tf.app``, ``tf.flags``, ``tf.gfile`` and
``tf.logging``."""
