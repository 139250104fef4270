"""How nbval runs the notebooks: in quick mode (every long training loop is shortened), and
without comparing widget views, whose model ids are new on every run."""

import os

os.environ["TUTORFLOW_QUICK"] = "1"


def pytest_collectstart(collector):
    if collector.fspath and collector.fspath.ext == ".ipynb":
        collector.skip_compare += ("application/vnd.jupyter.widget-view+json",)
