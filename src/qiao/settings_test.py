"""Settings for the test suite: Qiao's settings in test mode, tasks run immediately."""

import os

os.environ["QIAO_MODE"] = "test"
os.environ.setdefault("QIAO_TASKS_IMMEDIATE", "1")

from qiao.settings import *  # noqa: E402,F403
