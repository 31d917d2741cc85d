"""Child process of the SAT portfolio: ``python -m qiao.scheduling.satworker STRATEGY``.

Reads a pickled ``(instance, candidate slots)`` from stdin, runs the strategy
(``satsolve.run_strategy``) and writes each finding to stdout as an 8-byte
big-endian length followed by a pickle. Anything the solvers print goes to
stderr, so it cannot corrupt that stream. The parent kills the process when it
no longer needs it; if the parent itself is killed, Linux kills the child too.
"""

from __future__ import annotations

import ctypes
import os
import pickle
import signal
import sys

from qiao.scheduling.satsolve import run_strategy

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with_parent(parent_pid: int) -> None:
    """Ask Linux to kill this process when its parent dies (a SIGKILLed scheduler must
    not leave solvers running), and leave at once if the parent is already gone."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if parent_pid and os.getppid() != parent_pid:
        os._exit(1)


def main(argv: list[str] | None = None) -> int:
    """Run one strategy on the instance read from stdin; returns the exit status.

    Arguments: the strategy name and, optionally, the parent's process id."""
    argv = sys.argv[1:] if argv is None else argv
    _die_with_parent(int(argv[1]) if len(argv) > 1 else 0)
    stream = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)

    def send(msg: tuple) -> None:
        data = pickle.dumps(msg, protocol=pickle.HIGHEST_PROTOCOL)
        stream.write(len(data).to_bytes(8, "big") + data)
        stream.flush()

    instance, cands = pickle.load(sys.stdin.buffer)
    run_strategy(argv[0], instance, cands, send)
    stream.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
