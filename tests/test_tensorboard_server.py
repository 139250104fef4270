"""The real TensorBoard serves what tutorflow logged: it is started on a free localhost port,
asked for a run's scalars, graph and run metadata over its HTTP API, and stopped."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import numpy as np
import pytest

import tutorflow as tf

pytest.importorskip("tensorboard")

STARTUP_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_run(logdir) -> None:
    """Ten steps of a tiny model: the scalar ``train/loss``, its graph, one traced step."""
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    with tf.name_scope("layer"):
        w = tf.Variable(tf.ones([3, 1]), name="weights")
        y = tf.matmul(x, w)
    with tf.name_scope("train"):
        loss = tf.reduce_mean(tf.square(y - 1.0))
        tf.summary.scalar("loss", loss)
        step = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    merged = tf.summary.merge_all()
    batch = {x: 2 * np.eye(3, dtype=np.float32)}
    with tf.Session() as sess, tf.summary.FileWriter(logdir / "run1", sess.graph) as writer:
        sess.run(tf.global_variables_initializer())
        for i in range(10):
            options, metadata = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE), None
            if i == 9:
                metadata = tf.RunMetadata()
            summary, _ = sess.run([merged, step], batch, options=options, run_metadata=metadata)
            writer.add_summary(summary, i)
        writer.add_run_metadata(metadata, "step9", 9)


def fetch(port: int, path: str) -> bytes:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return response.read()


def wait_for_run(port: int, server, log) -> None:
    """Until TensorBoard lists the run's scalar tags (bounded)."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert server.poll() is None, log.read_text()
        try:
            if b"train/loss" in fetch(port, "/data/plugin/scalars/tags"):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    pytest.fail(f"TensorBoard did not show the run within {STARTUP_SECONDS} s")


def test_tensorboard_serves_the_scalars_graph_and_run_metadata(tmp_path):
    write_run(tmp_path / "logs")
    port, log = free_port(), tmp_path / "tensorboard.log"
    with log.open("w") as stderr:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tensorboard.main",
                f"--logdir={tmp_path / 'logs'}",
                "--host=127.0.0.1",
                f"--port={port}",
                "--load_fast=false",
                "--reload_interval=1",
            ],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    try:
        wait_for_run(port, server, log)
        scalars = json.loads(fetch(port, "/data/plugin/scalars/scalars?run=run1&tag=train/loss"))
        assert [step for _, step, _ in scalars] == list(range(10))
        assert scalars[0][2] == pytest.approx(1.0)  # y = 2 in each row at first: (2 - 1)**2
        assert scalars[-1][2] < scalars[0][2]

        graph = fetch(port, "/data/plugin/graphs/graph?run=run1").decode()
        assert 'name: "layer/weights"' in graph and 'op: "VariableV2"' in graph
        assert 'name: "layer/MatMul"' in graph and 'input: "layer/weights/read"' in graph
        assert 'name: "train/loss"' in graph and 'op: "ScalarSummary"' in graph

        info = json.loads(fetch(port, "/data/plugin/graphs/info"))
        assert info["run1"]["run_graph"] is True
        assert "step9" in info["run1"]["tags"]
        metadata = fetch(port, "/data/plugin/graphs/run_metadata?run=run1&tag=step9").decode()
        assert 'node_name: "layer/MatMul"' in metadata
        assert "/job:localhost/replica:0/task:0/device:CPU:0" in metadata
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
