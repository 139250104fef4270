"""Alias of ``tutorflow.client.timeline`` at TF's path ``tensorflow.python.client.timeline``."""

from ...client.timeline import Timeline

__all__ = ["Timeline"]
