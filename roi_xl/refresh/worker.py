"""The worker process: refreshes one file per request, under a memory limit.

Run by :mod:`roi_xl.refresh.batch` as ``python -m roi_xl.refresh.worker MEMORY_BYTES``;
requests and reports travel as length-prefixed pickles over stdin/stdout.
"""

from __future__ import annotations

import os
import pickle
import struct
import sys
from typing import Any, BinaryIO


def send(fh: BinaryIO, obj: Any) -> None:
    data = pickle.dumps(obj)
    fh.write(struct.pack("<Q", len(data)) + data)
    fh.flush()


def receive(fh: BinaryIO) -> Any:
    head = fh.read(8)
    if len(head) < 8:
        return None
    (size,) = struct.unpack("<Q", head)
    return pickle.loads(fh.read(size))


def main(argv: list[str]) -> int:
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a stray print must not corrupt the protocol
    from . import engine  # noqa: F401  (load the engine before the memory limit)
    from .recalc import refresh_file

    memory = int(argv[0]) if argv else 0
    if memory:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    requests = sys.stdin.buffer
    while True:
        request = receive(requests)
        if request is None:
            return 0
        path, backup, dry_run = request
        send(out, refresh_file(path, backup=backup, dry_run=dry_run))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
