"""A real JupyterLab server for browser tests, run the way a learner runs it but leaving no trace.

It listens on a free localhost port with a random token, keeps its config, data, runtime,
IPython and home folders in a private temporary folder (the kernelspec and the prebuilt lab
extensions, anywidget's and ipywidgets', are still found in the environment's share/jupyter),
and is stopped through its own API, after which every process it started must be gone:
kernels run in their own process group, so killing the server's group would miss them.
"""

from __future__ import annotations

import atexit
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

# Lab settings for a test: every cell stays in the page (no virtual scrolling), no news or
# update checks (they would try the network and pop up notifications).
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


class JupyterLab:
    """``with JupyterLab(root_dir, private_dir) as lab:`` serves ``root_dir`` at ``lab.url``.

    Args:
        root_dir: the folder the server shows (give it a copy: JupyterLab saves notebooks).
        private_dir: an empty folder for everything the server and its kernels write.
        env: extra environment variables for the server and its kernels.
    """

    def __init__(self, root_dir: Path, private_dir: Path, env: dict[str, str] | None = None):
        self.root_dir, self.private_dir = Path(root_dir), Path(private_dir)
        self.token = secrets.token_hex(16)
        self.extra_env = env or {}
        self.process: subprocess.Popen | None = None
        self.url = ""
        self.leftovers: list[int] = []  # processes still alive after the shutdown (then killed)

    def __enter__(self):
        folders = {
            name: self.private_dir / name
            for name in ("config", "data", "runtime", "ipython", "home", "log")
        }
        for folder in folders.values():
            folder.mkdir(parents=True, exist_ok=True)
        for name, settings in LAB_SETTINGS.items():
            path = folders["config"] / "lab" / "user-settings" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(settings))
        env = {
            **os.environ,
            "JUPYTER_CONFIG_DIR": str(folders["config"]),
            "JUPYTER_DATA_DIR": str(folders["data"]),
            "JUPYTER_RUNTIME_DIR": str(folders["runtime"]),
            "IPYTHONDIR": str(folders["ipython"]),
            "HOME": str(folders["home"]),
            **self.extra_env,
        }
        command = [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            "--ServerApp.port=0",  # the system picks a free port; read it from the runtime file
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root_dir}",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")  # Jupyter refuses to run as root without it
        self.log_path = folders["log"] / "jupyter.log"
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                command, env=env, cwd=self.root_dir, stdout=log, stderr=subprocess.STDOUT
            )
        atexit.register(self.stop)  # should the test run be interrupted before __exit__
        try:
            self._wait_until_serving(folders["runtime"])
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def _wait_until_serving(self, runtime_dir: Path, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        info = runtime_dir / f"jpserver-{self.process.pid}.json"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited early; see {self.log_path}")
            if info.exists():
                try:
                    self.url = f"http://127.0.0.1:{json.loads(info.read_text())['port']}"
                    self.api("GET", "/api/status")
                    return
                except (OSError, ValueError, KeyError):
                    pass  # the file is being written, or the server is not answering yet
            time.sleep(0.2)
        raise TimeoutError(f"JupyterLab did not start within {timeout} s; see {self.log_path}")

    def api(self, method: str, path: str, body: dict | None = None):
        """Call the server's REST API; returns the decoded JSON answer (None if empty)."""
        request = urllib.request.Request(
            f"{self.url}{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            content = answer.read()
        return json.loads(content) if content else None

    def kernel_of(self, notebook: str) -> dict | None:
        """The kernel model (``execution_state``, ``connections``...) of ``notebook``'s session."""
        for session in self.api("GET", "/api/sessions"):
            if session.get("path") == notebook:
                return session["kernel"]
        return None

    def stop(self, timeout: float = 20) -> None:
        """Shut down through the API (kernels first), wait, then make sure nothing is left."""
        if self.process is None:
            return
        atexit.unregister(self.stop)
        started = _descendants(self.process.pid)
        try:
            self.api("POST", "/api/shutdown")
        except OSError:
            pass  # not answering: the signals below still stop it
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        deadline = time.monotonic() + 5  # kernels may take a moment after their server
        while (alive := [pid for pid in started if _alive(pid)]) and time.monotonic() < deadline:
            time.sleep(0.1)
        for pid in alive:
            self.leftovers.append(pid)
            os.kill(pid, signal.SIGKILL)
        self.process = None


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid``, read from /proc (the e2e tests run on Linux)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # it just ended
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status is left
