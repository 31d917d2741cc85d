#!/usr/bin/env python3
"""Take the README screenshot: a demo event page in headless Chromium.

Usage: scripts/screenshot.py [--out docs/screenshot.png] [--path /de/events/<slug>/]
                             [--port 8797] [--data-dir DIR] [--chromium /usr/bin/chromium]

Builds a fresh demo database in a temporary data directory (``qiao migrate`` and
``qiao demo`` with ``QIAO_MODE=demo``), starts ``qiao runserver`` on 127.0.0.1,
opens the page at 1280×900 with Playwright (Berlin time zone, German locale),
saves the visible part of the page as PNG and stops the server again.
Run it from the repository with the project's virtualenv (``.venv/bin/python``).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_PATH = "/de/events/matchmaking-reich-der-mitte-2019/"


def qiao_command() -> list[str]:
    """The ``qiao`` command of the virtualenv this script runs in (or of .venv)."""
    beside = Path(sys.executable).with_name("qiao")
    if beside.exists():
        return [str(beside)]
    return [str(REPO / ".venv" / "bin" / "qiao")]


def port_is_free(port: int) -> bool:
    """Whether nothing listens on 127.0.0.1:``port`` yet."""
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def wait_for_server(url: str, server: subprocess.Popen, timeout: float = 30.0) -> None:
    """Poll ``url`` until the server answers (any HTTP status counts)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"screenshot: the server exited with status {server.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - our own local server
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"screenshot: the server did not answer at {url} within {timeout:.0f}s")


def take_screenshot(url: str, out: Path, chromium: str) -> None:
    """Open ``url`` at 1280×900 and save the visible part of the page to ``out``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        try:
            context = browser.new_context(
                viewport={"width": 1280, "height": 900}, locale="de-DE",
                timezone_id="Europe/Berlin",
            )
            page = context.new_page()
            page.goto(url, wait_until="networkidle")
            # The first visit stores the browser's time zone in a cookie; show the page
            # as a returning visitor sees it.
            page.reload(wait_until="networkidle")
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out))
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    """Build the demo database, serve it, take the screenshot, stop the server."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshot.png")
    parser.add_argument("--path", default=DEFAULT_PATH, help="page to show (default: %(default)s)")
    parser.add_argument("--port", type=int, default=8797)
    parser.add_argument("--data-dir", type=Path, help="demo data directory (default: a temp dir)")
    parser.add_argument("--chromium", default=os.environ.get("QIAO_CHROMIUM", "/usr/bin/chromium"))
    args = parser.parse_args(argv)
    if not port_is_free(args.port):
        parser.error(f"port {args.port} is in use; choose another with --port")

    with tempfile.TemporaryDirectory(prefix="qiao-shot-") as tmp:
        data_dir = args.data_dir or Path(tmp)
        env = {**os.environ, "QIAO_MODE": "demo", "QIAO_DATA_DIR": str(data_dir)}
        qiao = qiao_command()
        # Compiled catalogues are build output (not in Git); bring them up to date.
        subprocess.run([sys.executable, str(REPO / "scripts" / "compile_messages.py"),
                        str(REPO / "src" / "qiao")], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([*qiao, "migrate", "--noinput", "-v", "0"], env=env, check=True)
        subprocess.run([*qiao, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)
        server = subprocess.Popen(
            [*qiao, "runserver", "--noreload", f"127.0.0.1:{args.port}"], env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{args.port}"
            wait_for_server(base + "/", server)
            take_screenshot(base + args.path, args.out, args.chromium)
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    print(f"screenshot: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
