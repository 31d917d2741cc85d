"""Child process of the SAT portfolio: ``python -m qiao.scheduling.satworker STRATEGY``.

Reads a pickled ``(instance, candidate slots)`` from stdin, runs the strategy
(``satsolve.run_strategy``) and writes each finding to stdout as an 8-byte
big-endian length followed by a pickle. Anything the solvers print goes to
stderr, so it cannot corrupt that stream. The parent kills the process when it
no longer needs it.
"""

from __future__ import annotations

import os
import pickle
import sys

from qiao.scheduling.satsolve import run_strategy


def main(argv: list[str] | None = None) -> int:
    """Run one strategy on the instance read from stdin; returns the exit status."""
    argv = sys.argv[1:] if argv is None else argv
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
