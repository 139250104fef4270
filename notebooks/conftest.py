"""nbval runs the notebooks in quick mode: every long training loop is shortened."""

import os

os.environ["TUTORFLOW_QUICK"] = "1"
