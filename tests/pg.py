"""A throwaway PostgreSQL 15 cluster for tests: initdb in a temporary folder, a free port, the unix socket in
that folder (no TCP listener), stopped and removed at the end.

PostgreSQL refuses to run as root: when the tests run as root the cluster belongs to the `postgres` user
(initdb and pg_ctl run through `runuser`), with the folder handed to that user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PG_BIN = Path(os.environ.get("NEWSETL_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))
PG_USER = "postgres"


@dataclass(frozen=True, slots=True)
class Cluster:
    socket_dir: Path
    port: int
    user: str

    def conninfo(self, dbname: str) -> str:
        """A libpq keyword/value connection string (what `ducklake:postgres:` takes)."""
        return f"host={self.socket_dir} port={self.port} user={self.user} dbname={dbname}"

    def createdb(self, name: str) -> str:
        _as_owner([str(PG_BIN / "createdb"), "-h", str(self.socket_dir), "-p", str(self.port), "-U", self.user, name])
        return self.conninfo(name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_owner(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", PG_USER, "--", *cmd]
    return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=120)


def available() -> str | None:
    """Why no cluster can start here, or None."""
    if not (PG_BIN / "initdb").is_file():
        return f"no PostgreSQL binaries in {PG_BIN} (make pg-deps installs them)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(PG_USER)
        except KeyError:
            return f"running as root and there is no {PG_USER!r} user to own the cluster"
    return None


@contextmanager
def throwaway_cluster(base: Path) -> Iterator[Cluster]:
    """Start a cluster under `base` (a fresh folder), yield it, stop it and remove the folder."""
    root = base / "pg"
    data, sock = root / "data", root / "sock"
    sock.mkdir(parents=True)
    user = PG_USER if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
    if os.geteuid() == 0:
        owner = pwd.getpwnam(PG_USER)
        for path in (base, root, sock):
            os.chown(path, owner.pw_uid, owner.pw_gid)
        base.chmod(0o755)
    _as_owner([str(PG_BIN / "initdb"), "-D", str(data), "-U", user, "-A", "trust", "-E", "UTF8", "--no-sync"])
    port = _free_port()
    opts = f"-k {sock} -p {port} -c listen_addresses='' -c fsync=off"
    _as_owner([str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(root / "server.log"), "-w", "start"])
    try:
        yield Cluster(sock, port, user)
    finally:
        _as_owner([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"])
        shutil.rmtree(root, ignore_errors=True)
