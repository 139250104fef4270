"""``tf.gfile``: TF 1.x's file functions, on the local file system.

    if tf.gfile.Exists(FLAGS.log_dir):
        tf.gfile.DeleteRecursively(FLAGS.log_dir)
    tf.gfile.MakeDirs(FLAGS.log_dir)

Failures raise TF's errors: a missing path is ``tf.errors.NotFoundError``, an existing target
``tf.errors.AlreadyExistsError``, any other ``tf.errors.FailedPreconditionError``.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil

from ..framework.errors import AlreadyExistsError, FailedPreconditionError, NotFoundError


@contextlib.contextmanager
def _tf_errors(path):
    """Turns Python's OSErrors into TF's errors, as TF's file system layer reports them."""
    try:
        yield
    except FileNotFoundError as error:
        raise NotFoundError(None, None, f"{path}; No such file or directory") from error
    except FileExistsError as error:
        raise AlreadyExistsError(None, None, f"{path}; File exists") from error
    except OSError as error:
        raise FailedPreconditionError(None, None, f"{path}; {error.strerror}") from error


def Exists(filename) -> bool:
    """Whether a file or directory is there."""
    return os.path.exists(filename)


def IsDirectory(dirname) -> bool:
    return os.path.isdir(dirname)


def MakeDirs(dirname) -> None:
    """Creates ``dirname`` and the directories above it; nothing if it exists already."""
    with _tf_errors(dirname):
        os.makedirs(dirname, exist_ok=True)


def MkDir(dirname) -> None:
    """Creates the one directory ``dirname``; AlreadyExistsError if it is there."""
    with _tf_errors(dirname):
        os.mkdir(dirname)


def DeleteRecursively(dirname) -> None:
    """Deletes a directory with everything in it (or a file)."""
    with _tf_errors(dirname):
        if os.path.isdir(dirname) and not os.path.islink(dirname):
            shutil.rmtree(dirname)
        else:
            os.remove(dirname)


def Remove(filename) -> None:
    """Deletes a file."""
    with _tf_errors(filename):
        os.remove(filename)


def Rename(oldname, newname, overwrite: bool = False) -> None:
    """Moves a file; AlreadyExistsError if ``newname`` exists, unless ``overwrite``."""
    with _tf_errors(newname if os.path.exists(oldname) else oldname):
        if not overwrite and os.path.exists(newname):
            raise FileExistsError(newname)
        os.replace(oldname, newname)


def Copy(oldpath, newpath, overwrite: bool = False) -> None:
    """Copies a file; AlreadyExistsError if ``newpath`` exists, unless ``overwrite``."""
    with _tf_errors(newpath if os.path.exists(oldpath) else oldpath):
        if not overwrite and os.path.exists(newpath):
            raise FileExistsError(newpath)
        shutil.copyfile(oldpath, newpath)


def Glob(filename) -> list[str]:
    """The paths matching a pattern such as ``logs/*/events.*``."""
    return glob.glob(str(filename))


def ListDirectory(dirname) -> list[str]:
    """The names in a directory (not their paths), in no particular order."""
    with _tf_errors(dirname):
        return os.listdir(dirname)


def Walk(top, in_order: bool = True):
    """``(dirname, subdirectories, files)`` for each directory under ``top``, as os.walk."""
    yield from os.walk(top, topdown=in_order)


def Stat(filename):
    """``os.stat`` of a path; NotFoundError if it is missing."""
    with _tf_errors(filename):
        return os.stat(filename)


def GFile(name, mode: str = "r"):
    """The file ``name`` opened as a Python file object (text for ``"r"``, bytes for ``"rb"``);
    NotFoundError if it is missing. Use it in ``with``, or close it."""
    with _tf_errors(name):
        return open(name, mode)


Open = GFile
FastGFile = GFile
