"""Widgets for the course notebooks (ipywidgets 8 / anywidget, JupyterLab 4).

Import each from its module, e.g. ``from tutorflow.widgets.monitor import TrainingMonitor``.
"""
