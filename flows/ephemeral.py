"""Boot Prefect's temporary (ephemeral) API server while newsetl imports, instead of after.

Without PREFECT_API_URL, Prefect starts a local server on the first API call and waits ~5 s for it. We spawn
the very same command (see prefect.server.api.server.SubprocessASGIServer._run_uvicorn_command) before the
heavy imports, then hand the running process to Prefect's server singleton, which stops it at exit as usual.
Anything unexpected falls back to Prefect's own start-up.
"""

from __future__ import annotations

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

    def hand_over(self, timeout_s: float = 60.0) -> None:
        """Wait until healthy and register with Prefect; on any doubt, stop it and let Prefect start its own."""
        if self.proc is None:
            return
        from prefect.settings import PREFECT_API_URL

        if PREFECT_API_URL.value():  # a profile points at a real server after all
            self._discard()
            return
        import atexit

        # Imported before waiting (~1 s of CPU): it overlaps with the server's own boot instead of following it.
        from prefect.server.api.server import SubprocessASGIServer

        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        else:
            self._discard()
            return

        server = SubprocessASGIServer()
        if server.running:
            self._discard()
            return
        server.port = self.port
        server.server_process = self.proc
        server.running = True
        proc = self.proc

        def stop() -> None:
            # Signal and go: uvicorn finishes its graceful shutdown on its own; waiting for it (as Prefect's
            # stop() does) added ~1 s to every run.
            proc.terminate()
            server.server_process, server.running = None, False

        atexit.register(stop)

    def _discard(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.proc = None
