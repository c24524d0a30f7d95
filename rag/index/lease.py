"""Reader leases: an index directory in use by any process is never deleted by a builder.

A reader holds a *shared* ``flock`` on the directory's ``manifest.json`` for as long as it uses the index;
the builder's clean-up deletes an old directory only after taking an *exclusive* lock on the same file
without waiting. The operating system drops the locks of a process that ends (also by SIGKILL), so a
dead reader never pins an index, PIDs are never guessed, and it works across processes, within one
process (every ``open`` is its own lock) and on a read-only data directory (``flock`` needs no write
access). On systems without ``fcntl`` (Windows) leases are no-ops and the builder keeps only its two
newest directories, as before.

Example::

    >>> lease = Lease.acquire(Path("data/indexes/abc-1"))         # doctest: +SKIP
    >>> removable(Path("data/indexes/abc-1"))                     # doctest: +SKIP
    False
    >>> lease.release()                                           # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LEASE_FILE = "manifest.json"


class LeaseLost(OSError):
    """The directory was removed (or is being removed) before the lease was taken."""


class Lease:
    """A shared lock on ``<index dir>/manifest.json``; release it (or end the process) to let it go."""

    def __init__(self, path: Path, fd: int | None) -> None:
        self.path = path
        self._fd = fd

    @classmethod
    def acquire(cls, path: Path) -> Lease:
        """Lease ``path``; ``LeaseLost`` if it is missing or a builder is deleting it right now."""
        target = path / LEASE_FILE
        try:
            fd = os.open(target, os.O_RDONLY)
        except FileNotFoundError as exc:
            raise LeaseLost(f"{path} is gone") from exc
        if fcntl is None:  # pragma: no cover - Windows
            os.close(fd)
            return cls(path, None)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            # locked, but a builder may have unlinked the file after our open and released its lock since
            if os.fstat(fd).st_ino != os.stat(target).st_ino:
                raise LeaseLost(f"{path} was replaced")
        except OSError as exc:
            os.close(fd)
            raise LeaseLost(f"{path} is being removed") from exc
        return cls(path, fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)  # closing the descriptor drops the flock

    def __del__(self) -> None:
        self.release()


def remove_unless_leased(path: Path) -> bool:
    """Delete index directory ``path`` unless a reader holds a lease on it. True if it was deleted.

    A directory without a manifest (a crashed build's leftovers) cannot be leased and is deleted.
    """
    try:
        fd = os.open(path / LEASE_FILE, os.O_RDONLY)
    except OSError:
        shutil.rmtree(path, ignore_errors=True)
        return not path.exists()
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return False  # a reader has it open
        shutil.rmtree(path, ignore_errors=True)  # the exclusive lock is held until the manifest is gone
        return not path.exists()
    finally:
        os.close(fd)


def removable(path: Path) -> bool:
    """True if no reader holds a lease on ``path`` (a test and diagnostics helper; deletes nothing)."""
    if fcntl is None:  # pragma: no cover - Windows
        return True
    try:
        fd = os.open(path / LEASE_FILE, os.O_RDONLY)
    except OSError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    finally:
        os.close(fd)  # also drops the exclusive lock
    return True
