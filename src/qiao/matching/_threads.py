"""Limit BLAS threads around the engine's matrix products.

On a small, shared machine two spinning BLAS threads were measured to make
the memory-bound query products ~3× slower than one thread (bench/
matching_scale.py). ``QIAO_MATCH_THREADS`` sets the limit (default 1; 0 = no
limit). Needs ``threadpoolctl``; without it this is a no-op.
"""

from __future__ import annotations

import contextlib
import os
import threading

_controller = None
_lock = threading.Lock()


def blas_threads():
    """Context manager limiting BLAS to ``$QIAO_MATCH_THREADS`` threads (default 1)."""
    global _controller
    limit = int(os.environ.get("QIAO_MATCH_THREADS", "1"))
    if limit <= 0:
        return contextlib.nullcontext()
    with _lock:
        if _controller is None:
            try:
                from threadpoolctl import ThreadpoolController

                _controller = ThreadpoolController()
            except Exception:  # threadpoolctl missing or unusable
                _controller = False
    if not _controller:
        return contextlib.nullcontext()
    return _controller.limit(limits=limit, user_api="blas")
