"""A throw-away Virtuoso (Debian's virtuoso-opensource) for the tests.

The server runs in a temporary folder on two free localhost ports (SQL and
HTTP), is loaded with the bulk loader exactly as README tells users to
(``ld_dir`` + ``rdf_loader_run``), answers SPARQL over HTTP, and is stopped by
its PID.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt")
START_TIMEOUT_S = 90

_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = {sql_port}
DisableUnixSocket = 1
MaxClientConnections = 4
CheckpointInterval = 0
CaseMode = 2
DirsAllowed = ., {dir}, {data}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
ThreadsPerQuery = 1
AsyncQueueMaxThreads = 2
[HTTPServer]
ServerPort = {http_port}
ServerRoot = {dir}
MaxClientConnections = 4
ServerThreads = 4
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Virtuoso:
    """A Virtuoso server of its own, started in ``workdir``; use as a context manager."""

    def __init__(self, workdir: Path, data_dir: Path) -> None:
        assert VIRTUOSO and ISQL, "virtuoso-t is missing: `make test` installs virtuoso-opensource"
        self.dir, self.data = workdir, data_dir
        self.sql_port, self.http_port = free_port(), free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Virtuoso:
        ini = self.dir / "virtuoso.ini"
        ini.write_text(_INI.format(dir=self.dir, data=self.data, sql_port=self.sql_port,
                                   http_port=self.http_port), encoding="utf-8")
        log = open(self.dir / "stdout.log", "wb")
        self.proc = subprocess.Popen([VIRTUOSO, "+foreground", "+configfile", str(ini)], cwd=self.dir,
                                     stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if self.proc.poll() is not None:
                raise AssertionError(f"virtuoso exited: {(self.dir / 'stdout.log').read_text()[-2000:]}")
            try:
                ready = self._isql("status();", check=False, timeout=10).returncode == 0
            except subprocess.TimeoutExpired:  # (isql can hang on a server still starting, on a busy machine)
                ready = False
            if ready:
                break
            if time.monotonic() > deadline:
                self.stop()
                raise AssertionError("virtuoso did not come up in time")
            time.sleep(0.5)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.kill(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)

    def _isql(self, sql: str, *, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run([ISQL, str(self.sql_port), "dba", "dba", f"exec={sql}"],
                              capture_output=True, text=True, timeout=timeout)
        if check:
            assert proc.returncode == 0 and "*** Error" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr
        return proc

    def load(self, filename: str, graph: str) -> None:
        """Bulk-load ``data_dir/filename`` into the named graph ``graph`` (README's commands)."""
        self._isql(f"ld_dir('{self.data}', '{filename}', '{graph}'); rdf_loader_run(); checkpoint;")
        out = self._isql("SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;")
        assert "0 Rows" in out.stdout, out.stdout

    def select(self, query: str) -> tuple[list[str], list[dict[str, dict[str, str]]]]:
        """The variables and bindings of a SELECT, as SPARQL 1.1 JSON results give them."""
        body = urllib.parse.urlencode({"query": query}).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{self.http_port}/sparql", data=body,
                                         headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=120) as response:
            answer = json.load(response)
        return answer["head"]["vars"], answer["results"]["bindings"]
