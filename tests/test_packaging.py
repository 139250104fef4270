"""environment.yml (conda, Binder) and pyproject.toml (pip) must install the same packages."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _requirements(specs) -> dict[str, str]:
    """``{"numpy": ">=1.24", …}`` from requirement strings such as ``numpy>=1.24``."""
    found = {}
    for spec in specs:
        name, version = re.match(r"([A-Za-z0-9_.-]+)\s*(.*)", spec.strip()).groups()
        found[name.lower()] = version.replace(" ", "")
    return found


def _pip_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    specs = [*project["dependencies"], *extras["course"], *extras["test"]]
    return {
        name: version
        for name, version in _requirements(specs).items()
        if not name.startswith("tutorflow")
    }


def _conda_requirements() -> dict[str, str]:
    lines = (ROOT / "environment.yml").read_text().splitlines()
    start = lines.index("dependencies:") + 1
    specs = [
        line.strip()[2:]
        for line in lines[start:]
        if line.startswith("  - ") and not line.strip().endswith(":")
    ]
    conda = _requirements(specs)
    return {name: version for name, version in conda.items() if name not in ("python", "pip")}


def test_conda_and_pip_install_the_same_packages_and_versions():
    assert _conda_requirements() == _pip_requirements()


def test_python_floor_agrees():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert f"python{project['requires-python']}" in (ROOT / "environment.yml").read_text()


def test_conda_environment_installs_the_package_itself():
    assert "      - -e ." in (ROOT / "environment.yml").read_text().splitlines()


def _readme_test_command() -> str:
    lines = (ROOT / "README.md").read_text().splitlines()
    return next(line.strip() for line in lines if line.strip().startswith('pip install -e ".[test]"'))


def test_the_test_extra_installs_playwright_for_the_browser_test():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "playwright" in _requirements(project["optional-dependencies"]["test"])


def test_ci_runs_the_readmes_test_command_and_installs_what_it_leaves_out():
    ci = (ROOT / ".ci" / "run").read_text()
    assert _readme_test_command() in ci.splitlines()
    readme = (ROOT / "README.md").read_text()
    for system_package in ("chromium", "dataset-fashion-mnist"):
        assert f"apt-get install {system_package}" in readme  # said plainly to README users
        assert f"apt_install {system_package}" in ci  # and installed by CI itself
