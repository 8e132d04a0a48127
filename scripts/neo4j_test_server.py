#!/usr/bin/env python3
"""A real, throwaway Neo4j Community server for graphbuild's tests.

No Docker and no neo4j.com here: the server's runtime classpath is resolved
from Maven Central (``scripts/neo4j/pom.xml``) into a cache folder, and the
server is started straight from those jars with ``java`` (Java 17). See
``../shared/NEO4J.md``.

Library (importable from tests; the standard library only, plus the ``neo4j``
driver, imported lazily, for the readiness check)::

    provision() -> Path                 # lib/ folder, resolved once, then cached
    start(auth=False, password=None)    # -> Server (a context manager)
    Server.bolt_uri, .http_uri, .user, .password, .auth, .stop()

CLI (``scripts/neo4j-test-server`` wraps it)::

    neo4j_test_server.py provision
    neo4j_test_server.py start [--auth --password P] [--state FILE]   # detached
    neo4j_test_server.py stop [--state FILE]
    neo4j_test_server.py status [--state FILE]

``start`` prints the Bolt URI on stdout (everything else goes to stderr) and
records the server in a state file (default ``<cache>/server.json``) so that
``stop`` can find it.

Environment:
    GRAPHBUILD_NEO4J_CACHE   cache root (default ``<repo>/.cache/neo4j``); the
                             jars go to ``<root>/<version>/lib``.
"""

from __future__ import annotations

import argparse
import atexit
import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "NEO4J_VERSION",
    "Neo4jServerError",
    "Server",
    "cache_dir",
    "lib_dir",
    "prepare_home",
    "provision",
    "start",
]

REPO_ROOT = Path(__file__).resolve().parent.parent
POM = Path(__file__).resolve().parent / "neo4j" / "pom.xml"
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.6.1"
MAIN_CLASSES = ("org.neo4j.server.Neo4jCommunity", "org.neo4j.server.CommunityEntryPoint")
DEFAULT_START_TIMEOUT = 120.0
MARKER = ".provisioned.json"
JVM_OPTIONS = (
    "-Xms512m",
    "-Xmx1g",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-XX:+ExitOnOutOfMemoryError",
    "-Dfile.encoding=UTF-8",
)
HOME_PREFIX = "graphbuild-neo4j-"


class Neo4jServerError(RuntimeError):
    """Provisioning or running the test server failed; the message says why."""


def _log(message: str) -> None:
    print(f"neo4j-test-server: {message}", file=sys.stderr, flush=True)


def _pom_version() -> str:
    ns = {"m": "http://maven.apache.org/POM/4.0.0"}
    node = ET.parse(POM).getroot().find("m:properties/m:neo4j.version", ns)
    if node is None or not (node.text or "").strip():
        raise Neo4jServerError(f"{POM}: no <neo4j.version> property")
    return node.text.strip()


NEO4J_VERSION = _pom_version()


def cache_dir() -> Path:
    """``$GRAPHBUILD_NEO4J_CACHE/<version>`` or ``<repo>/.cache/neo4j/<version>``."""
    root = os.environ.get("GRAPHBUILD_NEO4J_CACHE")
    base = Path(root).expanduser() if root else REPO_ROOT / ".cache" / "neo4j"
    return base.resolve() / NEO4J_VERSION


def lib_dir() -> Path:
    return cache_dir() / "lib"


def default_state_file() -> Path:
    return cache_dir() / "server.json"


# --------------------------------------------------------------- provisioning


def _pom_digest() -> str:
    return hashlib.sha256(POM.read_bytes()).hexdigest()


def _is_complete(lib: Path) -> bool:
    try:
        marker = json.loads((lib / MARKER).read_text())
    except (OSError, ValueError):
        return False
    return marker.get("pom_sha256") == _pom_digest() and all(
        (lib / jar).is_file() for jar in marker.get("jars", ())
    ) and bool(marker.get("jars"))


def provision(*, quiet: bool = False) -> Path:
    """Resolve the server's runtime jars from Maven Central into ``lib_dir()``.

    Idempotent: a marker file written after a successful copy (holding the
    pom's digest and the jar list) makes later calls return at once; editing
    the pom re-resolves. Concurrent callers are serialised with a file lock.
    """
    import fcntl

    t0 = time.monotonic()
    lib = lib_dir()
    if _is_complete(lib):
        if not quiet:
            _log(f"Neo4j {NEO4J_VERSION} already provisioned in {lib} ({time.monotonic() - t0:.1f} s)")
        return lib
    lib.parent.mkdir(parents=True, exist_ok=True)
    with open(lib.parent / ".provision.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _is_complete(lib):  # another process finished while we waited
            return lib
        mvn = shutil.which("mvn")
        if mvn is None:
            raise Neo4jServerError(
                "Maven (mvn) not found; install it, e.g. `apt-get install -y maven` (needs Java 17)"
            )
        _log(f"resolving Neo4j {NEO4J_VERSION} jars from Maven Central into {lib} ...")
        staging = Path(tempfile.mkdtemp(prefix="lib.", dir=lib.parent))
        try:
            cmd = [
                mvn, "-B", "-q", "-f", str(POM),
                f"{DEPENDENCY_PLUGIN}:copy-dependencies",
                "-DincludeScope=runtime",
                f"-DoutputDirectory={staging}",
            ]
            done = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True)
            if done.returncode != 0:
                raise Neo4jServerError(
                    f"`{' '.join(cmd)}` failed (exit {done.returncode}):\n"
                    + _tail(done.stdout + done.stderr, 40)
                )
            jars = sorted(p.name for p in staging.glob("*.jar"))
            if not any(j.startswith(f"neo4j-server-{NEO4J_VERSION}") for j in jars):
                raise Neo4jServerError(f"Maven resolved no neo4j-server-{NEO4J_VERSION}.jar into {staging}")
            (staging / MARKER).write_text(
                json.dumps({"version": NEO4J_VERSION, "pom_sha256": _pom_digest(), "jars": jars}, indent=1)
            )
            if lib.exists():
                shutil.rmtree(lib)
            staging.rename(lib)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    _log(f"provisioned Neo4j {NEO4J_VERSION} ({len(jars)} jars) in {time.monotonic() - t0:.1f} s")
    return lib


def main_class(lib: Path) -> str:
    """The server entry point, found by looking inside the Neo4j jars.

    5.x calls it ``CommunityEntryPoint`` (in ``org.neo4j:neo4j``); calendar
    versions call it ``Neo4jCommunity``.
    """
    first = [lib / f"neo4j-server-{NEO4J_VERSION}.jar", lib / f"neo4j-{NEO4J_VERSION}.jar"]
    for jar in first + sorted(set(lib.glob("neo4j*.jar")) - set(first)):
        if not jar.is_file():
            continue
        with zipfile.ZipFile(jar) as zf:
            names = set(zf.namelist())
        for cls in MAIN_CLASSES:
            if cls.replace(".", "/") + ".class" in names:
                return cls
    raise Neo4jServerError(f"no Neo4j entry point ({' or '.join(MAIN_CLASSES)}) in {lib}")


# ---------------------------------------------------------------- the server


def _tail(text: str, lines: int = 60) -> str:
    return "\n".join(text.splitlines()[-lines:])


def _file_tail(path: Path, lines: int = 60) -> str:
    try:
        return _tail(path.read_text(errors="replace"), lines)
    except OSError:
        return f"(no log at {path})"


def _free_ports(n: int) -> list[int]:
    socks = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _java() -> str:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        return str(Path(java_home) / "bin" / "java")
    java = shutil.which("java")
    if java is None:
        raise Neo4jServerError("java not found; install Java 17, e.g. `apt-get install -y openjdk-17-jre-headless`")
    return java


def _write_conf(home: Path, bolt: int, http: int, auth: bool, post_connect_cmd: str | None = None) -> None:
    conf = {
        "server.directories.data": home / "data",
        "server.directories.logs": home / "logs",
        "server.directories.run": home / "run",
        "server.directories.import": home / "import",
        "server.directories.plugins": home / "plugins",
        "server.default_listen_address": "127.0.0.1",
        "server.default_advertised_address": "127.0.0.1",
        "server.bolt.listen_address": f"127.0.0.1:{bolt}",
        "server.bolt.advertised_address": f"127.0.0.1:{bolt}",
        "server.http.listen_address": f"127.0.0.1:{http}",
        "server.http.advertised_address": f"127.0.0.1:{http}",
        "server.https.enabled": "false",
        "dbms.security.auth_enabled": "true" if auth else "false",
        # tests try wrong passwords on purpose: no lock-out of the user after failed attempts
        "dbms.security.auth_max_failed_attempts": "0",
        "server.memory.pagecache.size": "256m",
        "dbms.usage_report.enabled": "false",
        # Neo4j Browser: no usage tracking (the product-analytics banner and its calls go)
        "client.allow_telemetry": "false",
        "db.logs.query.enabled": "OFF",
        # Bolt's Netty event loops otherwise wait a 5 s quiet period twice on
        # shutdown, which makes every stop take 10 s.
        "internal.dbms.bolt.netty_server_shutdown_quiet_period": "0",
        "internal.dbms.bolt.netty_server_shutdown_timeout": "2s",
    }
    if post_connect_cmd:  # e.g. the style and the guide `graphbuild browser` serves
        conf["browser.post_connect_cmd"] = post_connect_cmd
    for sub in ("conf", "data", "logs", "run", "import", "plugins", "tmp"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    (home / "conf" / "neo4j.conf").write_text("".join(f"{k}={v}\n" for k, v in conf.items()))


def prepare_home(home: Path, *, auth: bool = False) -> Path:
    """Create ``home`` with its folders and ``conf/neo4j.conf`` without starting a server.

    For offline tools such as ``neo4j-admin database import`` (``NEO4J_HOME`` and
    ``NEO4J_CONF`` pointing at it); a later ``start(home=...)`` rewrites the conf
    with fresh ports and serves what is in ``home/data``.
    """
    home = Path(home).resolve()
    bolt, http = _free_ports(2)
    _write_conf(home, bolt, http, auth)
    return home


def _set_parent_death_signal() -> None:  # runs in the child before exec
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass


def _proc_alive(pid: int) -> bool:
    """True if ``pid`` runs and is not a zombie (PID 1 in a container may never reap it)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    return stat.rsplit(")", 1)[-1].split()[0] not in ("Z", "X")


def _is_our_java(pid: int, home: Path) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return _proc_alive(pid)
    return f"--home-dir={home}".encode() in cmdline


def _sweep_stale_homes(max_age_without_pid: float = 3600.0) -> None:
    """Remove homes left behind by servers whose parent was killed outright.

    A home whose recorded java process is gone is stale; one without a pid file
    only once it is old (another process may be creating it right now).
    """
    for home in Path(tempfile.gettempdir()).glob(HOME_PREFIX + "*"):
        try:
            pid_file = home / "run" / "java.pid"
            if pid_file.is_file():
                pid = int(pid_file.read_text().strip() or 0)
                stale = not (pid and _proc_alive(pid) and _is_our_java(pid, home.resolve()))
            else:
                stale = time.time() - home.stat().st_mtime > max_age_without_pid
        except (OSError, ValueError):
            continue
        if stale:
            shutil.rmtree(home, ignore_errors=True)


@dataclass
class Server:
    """A running throwaway Neo4j; ``stop()`` (or leaving the ``with``) removes it."""

    pid: int
    home: Path
    bolt_uri: str
    http_uri: str
    user: str = "neo4j"
    password: str | None = None
    version: str = NEO4J_VERSION
    started_in: float = 0.0
    keep_home: bool = False
    _proc: subprocess.Popen | None = field(default=None, repr=False, compare=False)

    @property
    def auth(self) -> tuple[str, str] | None:
        """Driver credentials, or None when the server has auth disabled."""
        return None if self.password is None else (self.user, self.password)

    @property
    def browser_uri(self) -> str:
        return self.http_uri + "/browser/"

    @property
    def log_path(self) -> Path:
        return self.home / "console.log"

    def alive(self) -> bool:
        if self._proc is not None:
            return self._proc.poll() is None
        return _proc_alive(self.pid) and _is_our_java(self.pid, self.home)

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM, wait up to ``timeout`` s, then SIGKILL; remove the home folder (unless ``keep_home``)."""
        try:
            if self._proc is not None:
                if self._proc.poll() is None:
                    self._proc.terminate()
                    try:
                        self._proc.wait(timeout)
                    except subprocess.TimeoutExpired:
                        _log(f"pid {self.pid} ignored SIGTERM for {timeout:.0f} s; sending SIGKILL")
                        self._proc.kill()
                        self._proc.wait(10)
            elif self.alive():
                os.kill(self.pid, signal.SIGTERM)
                deadline = time.monotonic() + timeout
                while _proc_alive(self.pid) and time.monotonic() < deadline:
                    time.sleep(0.1)
                if _proc_alive(self.pid):
                    _log(f"pid {self.pid} ignored SIGTERM for {timeout:.0f} s; sending SIGKILL")
                    os.kill(self.pid, signal.SIGKILL)
                    deadline = time.monotonic() + 10
                    while _proc_alive(self.pid) and time.monotonic() < deadline:
                        time.sleep(0.1)
        except ProcessLookupError:
            pass
        finally:
            if not self.keep_home:
                shutil.rmtree(self.home, ignore_errors=True)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def to_json(self) -> dict:
        return {
            "pid": self.pid,
            "home": str(self.home),
            "bolt_uri": self.bolt_uri,
            "http_uri": self.http_uri,
            "browser_uri": self.browser_uri,
            "user": self.user,
            "password": self.password,
            "version": self.version,
            "started_in": round(self.started_in, 2),
        }

    @classmethod
    def from_json(cls, data: dict) -> Server:
        return cls(
            pid=int(data["pid"]),
            home=Path(data["home"]),
            bolt_uri=data["bolt_uri"],
            http_uri=data["http_uri"],
            user=data.get("user", "neo4j"),
            password=data.get("password"),
            version=data.get("version", NEO4J_VERSION),
            started_in=float(data.get("started_in", 0.0)),
        )


def _wait_ready(server: Server, proc: subprocess.Popen, deadline: float, initial_password: str | None) -> None:
    """Poll Bolt until ``RETURN 1`` answers; set the password first if asked."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable, SessionExpired, TransientError

    retry = (ServiceUnavailable, SessionExpired, TransientError, OSError)
    last: BaseException | None = None
    password_set = initial_password is None
    while True:
        if proc.poll() is not None:
            raise Neo4jServerError(
                f"Neo4j exited with code {proc.returncode} before Bolt answered; "
                f"last lines of {server.log_path}:\n{_file_tail(server.log_path)}"
            )
        if time.monotonic() > deadline:
            raise Neo4jServerError(
                f"Neo4j did not answer on {server.bolt_uri} in time (last error: {last!r}); "
                f"last lines of {server.log_path}:\n{_file_tail(server.log_path)}"
            )
        try:
            if not password_set:
                # The initial user neo4j/neo4j may only change its password.
                with GraphDatabase.driver(
                    server.bolt_uri, auth=(server.user, initial_password), connection_timeout=2
                ) as driver, driver.session(database="system") as session:
                    session.run(
                        "ALTER CURRENT USER SET PASSWORD FROM $old TO $new",
                        old=initial_password,
                        new=server.password,
                    ).consume()
                password_set = True
            with GraphDatabase.driver(server.bolt_uri, auth=server.auth, connection_timeout=2) as driver:
                driver.verify_connectivity()
                with driver.session(database="neo4j") as session:
                    if session.run("RETURN 1 AS ok").single(strict=True)["ok"] == 1:
                        return
        except AuthError as exc:
            raise Neo4jServerError(f"Neo4j on {server.bolt_uri} refused the credentials: {exc}") from exc
        except retry as exc:
            last = exc
        except Neo4jError as exc:
            code = exc.code or ""
            if ".TransientError." in code or "DatabaseUnavailable" in code:
                last = exc
            else:
                raise Neo4jServerError(f"Neo4j on {server.bolt_uri}: {exc}") from exc
        time.sleep(0.25)


def start(
    auth: bool = False,
    password: str | None = None,
    *,
    timeout: float = DEFAULT_START_TIMEOUT,
    detach: bool = False,
    home: Path | None = None,
    post_connect_cmd: str | None = None,
) -> Server:
    """Start a throwaway Neo4j on free localhost ports and wait until Bolt answers.

    With ``auth=True`` the initial ``neo4j``/``neo4j`` password is changed to
    ``password`` (8+ characters; a random one if None). ``detach=True`` puts
    the JVM in its own session so it outlives this process (the CLI's
    ``start``); otherwise it is tied to this process (SIGTERM if it dies).
    ``home``: a folder the caller owns, created if missing; a stopped server's
    home is started again with its data (new ports; with auth, the same
    ``password``), and ``stop()`` leaves it in place.  ``post_connect_cmd``
    sets Browser's ``browser.post_connect_cmd`` (e.g. ``style URL; play URL``).
    """
    if auth:
        password = password if password is not None else secrets.token_urlsafe(16)
        if len(password) < 8:
            raise Neo4jServerError("Neo4j requires passwords of at least 8 characters")
        if password == "neo4j":
            raise Neo4jServerError("the new password must differ from the initial one (neo4j)")
    else:
        password = None
    _sweep_stale_homes()
    lib = provision(quiet=True)
    cls = main_class(lib)
    java = _java()
    t0 = time.monotonic()
    deadline = t0 + timeout
    own_home = home
    restarted = own_home is not None and (Path(own_home) / "data" / "databases").is_dir()
    for attempt in range(3):
        if own_home is None:
            home = Path(tempfile.mkdtemp(prefix=HOME_PREFIX)).resolve()
        else:
            home = Path(own_home).resolve()
            home.mkdir(parents=True, exist_ok=True)
        bolt, http = _free_ports(2)
        _write_conf(home, bolt, http, auth, post_connect_cmd)
        cmd = [
            java,
            *JVM_OPTIONS,
            f"-Djava.io.tmpdir={home / 'tmp'}",
            "-cp",
            f"{home / 'plugins'}/*{os.pathsep}{lib}/*",
            cls,
            f"--home-dir={home}",
            f"--config-dir={home / 'conf'}",
            "--console-mode",
        ]
        server = Server(
            pid=0,
            home=home,
            bolt_uri=f"bolt://127.0.0.1:{bolt}",
            http_uri=f"http://127.0.0.1:{http}",
            password=password,
            keep_home=own_home is not None,
        )
        with open(server.log_path, "ab" if restarted else "wb") as log:
            proc = subprocess.Popen(
                cmd,
                cwd=home,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=detach,
                preexec_fn=None if detach else _set_parent_death_signal,
            )
        server.pid = proc.pid
        server._proc = proc
        (home / "run" / "java.pid").write_text(f"{proc.pid}\n")
        try:
            _wait_ready(server, proc, deadline, "neo4j" if auth and not restarted else None)
        except BaseException as exc:
            log_text = _file_tail(server.log_path, 200)
            server.stop(timeout=10)
            if isinstance(exc, Neo4jServerError) and "Address already in use" in log_text and attempt < 2:
                _log("a port was taken between picking and binding it; retrying with new ports")
                continue
            raise
        break
    server.started_in = time.monotonic() - t0
    if not detach:
        atexit.register(server.stop)  # safety net; stop() is idempotent
    return server


# ------------------------------------------------------------------------ CLI


def _read_state(path: Path) -> Server | None:
    try:
        return Server.from_json(json.loads(path.read_text()))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError) as exc:
        raise Neo4jServerError(f"unreadable state file {path}: {exc}") from exc


def _cli(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="neo4j-test-server", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("provision", help="resolve the jars from Maven Central (cached)")
    p_start = sub.add_parser("start", help="start a detached server; prints its Bolt URI")
    p_start.add_argument("--auth", action="store_true", help="enable auth (user neo4j)")
    p_start.add_argument("--password", help="password with --auth (default: random)")
    p_start.add_argument("--timeout", type=float, default=DEFAULT_START_TIMEOUT, help="seconds (default 120)")
    p_start.add_argument("--post-connect-cmd", default=None,
                         help="Browser commands run on connect, e.g. the output of `graphbuild browser`: "
                              "'style http://localhost:7480/style.grass; play http://localhost:7480/graphbuild.html'")
    for name, helptext in (("stop", "stop the recorded server"), ("status", "show the recorded server")):
        sub.add_parser(name, help=helptext)
    for p in sub.choices.values():
        if p.prog.split()[-1] != "provision":
            p.add_argument("--state", type=Path, default=None, help="state file (default <cache>/server.json)")
    args = parser.parse_args(argv)

    try:
        if args.command == "provision":
            provision()
            return 0
        state = args.state or default_state_file()
        recorded = _read_state(state)
        if args.command == "start":
            if recorded is not None and recorded.alive():
                raise Neo4jServerError(
                    f"a server recorded in {state} is still running ({recorded.bolt_uri}, pid {recorded.pid}); "
                    "stop it first, or pass another --state file"
                )
            provision()
            server = start(auth=args.auth, password=args.password, timeout=args.timeout, detach=True,
                           post_connect_cmd=args.post_connect_cmd)
            state.parent.mkdir(parents=True, exist_ok=True)
            tmp = state.with_name(state.name + ".tmp")
            tmp.write_text(json.dumps(server.to_json(), indent=1) + "\n")
            tmp.replace(state)
            _log(
                f"Neo4j {server.version} started in {server.started_in:.1f} s: {server.bolt_uri} "
                f"(Browser {server.browser_uri}, pid {server.pid}, home {server.home}, state {state})"
            )
            print(server.bolt_uri, flush=True)
            if args.auth and args.password is None:  # generated: shown once here (and kept in the state file)
                print(f"password: {server.password}", flush=True)
            return 0
        if args.command == "status":
            if recorded is None:
                _log(f"no server recorded in {state}")
                return 1
            print(json.dumps({**recorded.to_json(), "alive": recorded.alive()}, indent=1))
            return 0 if recorded.alive() else 1
        # stop
        if recorded is None:
            _log(f"no server recorded in {state}; nothing to stop")
            return 0
        was_alive = recorded.alive()
        t0 = time.monotonic()
        recorded.stop()
        state.unlink(missing_ok=True)
        if was_alive:
            _log(f"stopped pid {recorded.pid} in {time.monotonic() - t0:.1f} s; removed {recorded.home}")
        else:
            _log(f"pid {recorded.pid} was not running; removed {recorded.home} and {state}")
        return 0
    except Neo4jServerError as exc:
        _log(f"error: {exc}")
        return 1


if __name__ == "__main__":
    sys.exit(_cli())
