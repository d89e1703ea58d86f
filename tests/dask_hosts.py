"""A Dask cluster of separate processes on simulated hosts, for the cluster tests and bench/bench_scale.py.

`HostNetwork(n)` makes a small LAN on this machine: a Linux bridge in the current network namespace (the
"gateway", where the scheduler, the Prefect server and the flow process live) and `n` network namespaces
(`ip netns add`), each joined to the bridge by a veth pair and given its own address (10.231.X.11, .12, ...).
A process started in a namespace sees only its own loopback and its veth: it reaches the scheduler, the
Prefect API and the other hosts over the bridge, as it would over a network. Hosts share the kernel, the
CPUs and the file system (the project and the inputs are at the same paths everywhere: the "shared
storage" a real deployment needs for file inputs).

When namespaces cannot be made (no CAP_NET_ADMIN, no iproute2), `HostNetwork(n, netns=False)` or the
automatic fallback gives every host a loopback address of its own (127.0.0.x) instead: separate processes
bound to separate addresses, but one network stack. `HostNetwork.isolated` says which one you got.

`DaskCluster` starts the real `dask scheduler` and `dask worker` CLIs (from the venv) as process groups:
one scheduler on the gateway and `per_host` worker processes (1 thread each, no nanny, so a killed worker
stays dead) on every host, with `--preload flows.workers` (the worker loads the spaCy model before its first
task). The scheduler preloads this module, whose `dask_setup` adds a plugin that records, for every task
that finished, its key and the address of the worker that ran it (`DaskCluster.finished()`).
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PLUGIN_NAME = "newsetl-task-recorder"


class NamespacesUnavailable(RuntimeError):
    """`ip netns` or a bridge could not be made here."""


@dataclass(frozen=True, slots=True)
class SimHost:
    name: str
    address: str
    netns: str | None  # None: a loopback address in the current namespace

    def command(self, argv: list[str]) -> list[str]:
        """argv run on this host (inside its namespace when it has one)."""
        return ["ip", "netns", "exec", self.netns, *argv] if self.netns else argv


def _ip(*args: str) -> None:
    res = subprocess.run(["ip", *args], capture_output=True, text=True, timeout=20)
    if res.returncode != 0:
        raise NamespacesUnavailable(f"ip {' '.join(args)}: {res.stderr.strip() or res.returncode}")


def _used_subnets() -> set[str]:
    out = subprocess.run(["ip", "-o", "-4", "addr"], capture_output=True, text=True, timeout=10).stdout
    nets = set()
    for line in out.splitlines():
        parts = line.split()
        if "inet" in parts:
            nets.add(str(ipaddress.ip_interface(parts[parts.index("inet") + 1]).network))
    return nets


@dataclass
class HostNetwork:
    """n simulated hosts (network namespaces on a bridge, or loopback addresses as a fallback)."""

    n: int
    netns: bool = True
    hosts: list[SimHost] = field(default_factory=list)
    gateway: str = "127.0.0.1"
    isolated: bool = False
    fallback_reason: str | None = None
    _bridge: str | None = None

    def __enter__(self) -> HostNetwork:
        if self.netns and shutil.which("ip"):
            try:
                self._make_namespaces()
                return self
            except NamespacesUnavailable as exc:
                self.fallback_reason = str(exc)
                self._teardown()
        elif self.netns:
            self.fallback_reason = "iproute2 (`ip`) is not installed"
        base = 40 + os.getpid() % 150  # 127.0.0.x addresses of our own; Linux routes 127/8 to lo
        self.gateway = "127.0.0.1"
        self.hosts = [SimHost(f"host{i + 1}", f"127.0.{base}.{i + 11}", None) for i in range(self.n)]
        return self

    def _make_namespaces(self) -> None:
        tag = str(os.getpid() % 100000)
        used = _used_subnets()
        third = next(x for x in [(os.getpid() + k) % 200 + 20 for k in range(200)]
                     if f"10.231.{x}.0/24" not in used)
        self._bridge = f"nxb{tag}"
        _ip("link", "add", self._bridge, "type", "bridge")
        self.gateway = f"10.231.{third}.1"
        _ip("addr", "add", f"{self.gateway}/24", "dev", self._bridge)
        _ip("link", "set", self._bridge, "up")
        for i in range(self.n):
            ns, outer, inner = f"newsetl-{tag}-{i + 1}", f"nxh{tag}{i + 1}", f"nxn{tag}{i + 1}"
            addr = f"10.231.{third}.{i + 11}"
            self.hosts.append(SimHost(f"host{i + 1}", addr, ns))
            _ip("netns", "add", ns)
            _ip("link", "add", outer, "type", "veth", "peer", "name", inner)
            _ip("link", "set", inner, "netns", ns)
            _ip("link", "set", outer, "master", self._bridge)
            _ip("link", "set", outer, "up")
            _ip("-n", ns, "addr", "add", f"{addr}/24", "dev", inner)
            _ip("-n", ns, "link", "set", inner, "up")
            _ip("-n", ns, "link", "set", "lo", "up")
        self.isolated = True

    def _teardown(self) -> None:
        for h in self.hosts:
            if h.netns:
                subprocess.run(["ip", "netns", "del", h.netns], capture_output=True, timeout=20)
        if self._bridge:
            subprocess.run(["ip", "link", "del", self._bridge], capture_output=True, timeout=20)
        self.hosts, self._bridge, self.isolated = [], None, False

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self._teardown()

    def describe(self) -> str:
        if self.isolated:
            return f"{self.n} network namespaces on a bridge ({', '.join(h.address for h in self.hosts)})"
        why = f" ({self.fallback_reason})" if self.fallback_reason else ""
        return f"{self.n} loopback addresses in one network namespace{why}"


def free_port(host: str) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def process_env(prefect_home: Path, api_url: str | None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSETL_", "DASK_")) and k != "PREFECT_API_URL"}
    env.update({"PYTHONPATH": str(ROOT), "PREFECT_HOME": str(prefect_home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                "GX_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1", "PYTHONUNBUFFERED": "1"})
    if api_url:
        env["PREFECT_API_URL"] = api_url
    env.update(extra)
    return env


def stop(proc: subprocess.Popen[Any], timeout: float = 15) -> None:
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=timeout)


@dataclass
class DaskCluster:
    """`dask scheduler` on the gateway and `per_host` `dask worker` processes on every host."""

    network: HostNetwork
    per_host: int
    logs: Path
    env: dict[str, str]
    scheduler_env: dict[str, str] = field(default_factory=dict)
    address: str = ""
    scheduler: subprocess.Popen[bytes] | None = None
    workers: list[tuple[str, subprocess.Popen[bytes]]] = field(default_factory=list)

    def __enter__(self) -> DaskCluster:
        self.logs.mkdir(parents=True, exist_ok=True)
        try:
            self._start()
        except BaseException:
            self.close()
            raise
        return self

    def _start(self) -> None:
        port = free_port(self.network.gateway)
        self.address = f"tcp://{self.network.gateway}:{port}"
        self.scheduler = self._spawn(["dask", "scheduler", "--host", self.network.gateway, "--port", str(port),
                                      "--no-dashboard", "--preload", "tests.dask_hosts"], "scheduler",
                                     {**self.env, **self.scheduler_env})
        for host in self.network.hosts:
            for j in range(self.per_host):
                name = f"{host.name}-w{j + 1}"
                argv = host.command([str(BIN / "dask"), "worker", self.address, "--host", host.address, "--name", name,
                                     "--nthreads", "1", "--no-nanny", "--no-dashboard", "--memory-limit", "0",
                                     "--death-timeout", "60", "--preload", "flows.workers",
                                     "--local-directory", str(self.logs / name)])
                self.workers.append((name, self._spawn(argv, name, self.env, resolve=False)))
        self.wait_for_workers(len(self.workers), timeout=150)

    def _spawn(self, argv: list[str], name: str, env: dict[str, str], resolve: bool = True) -> subprocess.Popen[bytes]:
        if resolve:
            argv = [str(BIN / argv[0]), *argv[1:]]
        log = (self.logs / f"{name}.log").open("wb")
        try:
            return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        finally:
            log.close()

    def _client(self) -> Any:
        from distributed import Client

        return Client(self.address, timeout=20, set_as_default=False)

    def wait_for_workers(self, n: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with self._client() as client:
            while time.monotonic() < deadline:
                ready = client.run_on_scheduler(_ready_workers)
                if ready >= n:
                    return
                dead = [name for name, p in self.workers if p.poll() is not None]
                if dead:
                    raise RuntimeError(f"dask worker {dead[0]} exited: {self.log_tail(dead[0])}")
                time.sleep(0.5)
        raise RuntimeError(f"{n} Dask workers not ready after {timeout:.0f}s: {self.log_tail(self.workers[0][0])}")

    def worker_addresses(self) -> dict[str, str]:
        """Worker name -> address, as the scheduler knows them."""
        with self._client() as client:
            info = client.scheduler_info(n_workers=-1)["workers"]
        return {w["name"]: addr for addr, w in info.items()}

    def finished(self) -> list[tuple[str, str]]:
        """(task key, worker address) of every task that finished on the cluster."""
        with self._client() as client:
            return [tuple(x) for x in client.run_on_scheduler(_recorded)]

    def kill_worker(self, name: str) -> None:
        proc = dict(self.workers)[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=20)

    def log_tail(self, name: str, chars: int = 2000) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""

    def close(self) -> None:
        for _, p in self.workers:
            stop(p)
        if self.scheduler is not None:
            stop(self.scheduler)

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def start_prefect_server(home: Path, host: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    """A real `prefect server start` bound to `host` (the gateway, so the hosts' workers can reach it)."""
    import urllib.request

    env = process_env(home, None, PREFECT_UI_API_URL=f"http://{host}:{port}/api")
    with log.open("wb") as out:
        proc = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", host, "--port", str(port)],
                                env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{host}:{port}/api/health", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"prefect server exited during start-up: {log.read_text()[-1500:]}")
        time.sleep(0.5)
    stop(proc)
    raise RuntimeError("prefect server did not become healthy in 120 s")


@contextlib.contextmanager
def prefect_server(home: Path, host: str, log: Path) -> Iterator[str]:
    port = free_port(host)
    proc = start_prefect_server(home, host, port, log)
    try:
        yield f"http://{host}:{port}/api"
    finally:
        stop(proc, 20)


# --- scheduler side (this module is the scheduler's --preload) -------------------------------------------------

def _ready_workers(dask_scheduler: Any) -> int:
    return len(dask_scheduler.workers)


def _recorded(dask_scheduler: Any) -> list[tuple[str, str]]:
    plugin = dask_scheduler.plugins.get(PLUGIN_NAME)
    return list(plugin.finished) if plugin is not None else []


def dask_setup(scheduler: Any) -> None:
    from distributed.diagnostics.plugin import SchedulerPlugin

    class TaskRecorder(SchedulerPlugin):
        """Records (key, worker address) for every task that reached memory."""

        name = PLUGIN_NAME

        def __init__(self) -> None:
            self.finished: list[tuple[str, str]] = []

        def transition(self, key: Any, start: str, finish: str, *args: Any, **kwargs: Any) -> None:
            if finish == "memory":
                ts = scheduler.tasks.get(key)
                who = sorted(ws.address for ws in ts.who_has) if ts is not None and ts.who_has else []
                self.finished.append((str(key), who[0] if who else str(kwargs.get("worker", ""))))

    scheduler.add_plugin(TaskRecorder(), name=PLUGIN_NAME)
