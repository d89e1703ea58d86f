"""Boot Prefect's temporary (ephemeral) API server while newsetl imports, instead of after.

Without PREFECT_API_URL, Prefect starts a local server on the first API call and waits ~5 s for it. We spawn
the very same command (see prefect.server.api.server.SubprocessASGIServer._run_uvicorn_command) before the
heavy imports and point Prefect's client at it (PREFECT_API_URL); it is stopped at exit.
Anything unexpected falls back to Prefect's own start-up.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with_parent() -> None:
    """In the server's process before it starts (Linux): SIGTERM it when newsetl's process ends, however it ends.
    A run stopped by SIGTERM (a scheduler, `kill`, a container stop) never reaches the atexit handler that stops
    the server (Prefect re-raises the signal with its default action), which left a Prefect server running."""
    import ctypes
    import signal

    # Not glibc/musl: the atexit handler still covers ordinary exits.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class EarlyServer:
    """The ephemeral server, spawned first. The flow runs in a settings context whose PREFECT_API_URL is this
    server, so the CLI never imports Prefect's server package (~2 s of CPU before the flow could begin, measured:
    it was imported only for `SubprocessASGIServer`). `hand_over` waits until the server is healthy."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0
        if os.environ.get("PREFECT_API_URL"):
            return
        spec = importlib.util.find_spec("prefect")
        if spec is None or not spec.submodule_search_locations:
            return
        app_dir = str(Path(next(iter(spec.submodule_search_locations))).parent)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1",
               "PREFECT__SERVER_FINAL": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--app-dir", app_dir, "--factory",
             "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(self.port),
             "--log-level", "error", "--lifespan", "on"],
            env=env, stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
        atexit.register(self._stop)

    def hand_over(self, timeout_s: float = 60.0) -> contextlib.AbstractContextManager[object]:
        """The settings context to run the flow in: PREFECT_API_URL = this server once it answers. When a
        profile or settings file names a server after all, or this one died or never answered, it is stopped
        and the context changes nothing (Prefect then uses that server, or starts its own ephemeral one)."""
        if self.proc is None:
            return contextlib.nullcontext()
        from prefect.settings import PREFECT_API_URL, PREFECT_UI_URL, temporary_settings

        if PREFECT_API_URL.value():  # a profile, .env or prefect.toml points at a real server
            self._discard()
            return contextlib.nullcontext()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/health", timeout=2) as r:
                    if r.status == 200:
                        # No UI URL: this server has no UI and ends with the run ("View at" would lead nowhere).
                        return temporary_settings(updates={PREFECT_API_URL: f"http://127.0.0.1:{self.port}/api",
                                                           PREFECT_UI_URL: ""})
            except OSError:
                time.sleep(0.1)
        self._discard()
        return contextlib.nullcontext()

    def _stop(self) -> None:
        # Signal and go: uvicorn finishes its graceful shutdown on its own; waiting for it (as Prefect's stop()
        # does) added ~1 s to every run.
        if self.proc is not None:
            self.proc.terminate()

    def _discard(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.proc = None
