"""``tf.train``: optimizers that add update ops to the graph, the Saver and its checkpoints."""

from ..summary import FileWriter as SummaryWriter  # TF 0.x's name for tf.summary.FileWriter
from .adam import AdamOptimizer
from .checkpoint_management import get_checkpoint_state, latest_checkpoint
from .gradient_descent import GradientDescentOptimizer
from .momentum import MomentumOptimizer
from .optimizer import Optimizer
from .saver import Saver

__all__ = [
    "AdamOptimizer",
    "GradientDescentOptimizer",
    "MomentumOptimizer",
    "Optimizer",
    "Saver",
    "SummaryWriter",
    "get_checkpoint_state",
    "latest_checkpoint",
]
