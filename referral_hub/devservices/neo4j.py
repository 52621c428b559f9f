"""The embedded Neo4j Community server built from Maven Central artifacts (deploy/neo4j)."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import neo4j
from neo4j.exceptions import AuthError, ServiceUnavailable

from referral_hub.devservices import process
from referral_hub.devservices.process import ServiceError

ROOT = Path(__file__).resolve().parents[2]
LAUNCHER_DIR = ROOT / "deploy" / "neo4j"
LAUNCHER_JAR = LAUNCHER_DIR / "target" / "neo4j-launcher-1.0.0.jar"
LIB_DIR = LAUNCHER_DIR / "target" / "lib"

# The flags Neo4j's own start script passes (see its conf/neo4j.conf defaults).
JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Dlog4j2.disable.jmx=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
)


@dataclass(frozen=True)
class Neo4jInstance:
    data_dir: Path
    port: int
    password: str
    user: str = "neo4j"
    heap: str = "2g"
    pagecache: str = "512m"
    # Memory all open transactions may hold; it lives on the heap, so keep it below `heap`.
    tx_memory: str = "1g"

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    @property
    def pid_file(self) -> Path:
        return self.data_dir / "neo4j.pid"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "neo4j.log"

    @property
    def ready_file(self) -> Path:
        return self.data_dir / "neo4j.ready"


def java_binary() -> str:
    """OpenJDK 17 where Debian puts it, else JAVA_HOME, else `java` on PATH."""
    candidates = [os.environ.get("JAVA_HOME", ""), "/usr/lib/jvm/java-17-openjdk-amd64"]
    for home in candidates:
        if home and (Path(home) / "bin" / "java").exists():
            return str(Path(home) / "bin" / "java")
    found = shutil.which("java")
    if found is None:
        raise ServiceError("no Java found: install openjdk-17-jre-headless or set JAVA_HOME")
    return found


def ensure_jars() -> None:
    """Fetch Neo4j's jars and build the launcher once; ~/.m2 caches the download."""
    if LAUNCHER_JAR.exists() and LIB_DIR.is_dir() and any(LIB_DIR.glob("neo4j-kernel-*.jar")):
        return
    mvn = shutil.which("mvn")
    if mvn is None:
        raise ServiceError("Maven (mvn) is needed to fetch Neo4j: apt-get install maven")
    result = subprocess.run(
        [mvn, "-q", "-B", "package", "-DskipTests"],
        cwd=LAUNCHER_DIR,
        check=False,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise ServiceError(f"mvn package failed in {LAUNCHER_DIR}:\n{result.stdout}{result.stderr}")


def is_ready(instance: Neo4jInstance) -> bool:
    try:
        with neo4j.GraphDatabase.driver(
            instance.uri, auth=(instance.user, instance.password), connection_timeout=2.0
        ) as driver:
            driver.verify_connectivity()
    except (ServiceUnavailable, OSError):
        return False
    except AuthError as exc:
        raise ServiceError(
            f"Neo4j on port {instance.port} refused the password: {exc}. Another server may "
            "hold that port, or NEO4J_PASSWORD differs from the one it runs with."
        ) from exc
    return True


def start(instance: Neo4jInstance, *, timeout: float = 180.0) -> bool:
    """Start the server unless ours is already running; True when this call started it."""
    if process.read_pid(instance.pid_file) is not None and is_ready(instance):
        return False
    if is_ready(instance):
        raise ServiceError(f"port {instance.port} already serves a Neo4j we did not start")
    ensure_jars()
    instance.data_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "NEO4J_DATA_DIR": str(instance.data_dir / "store"),
        "NEO4J_BOLT_PORT": str(instance.port),
        "NEO4J_PASSWORD": instance.password,
        "NEO4J_PAGECACHE": instance.pagecache,
        "NEO4J_TX_MEMORY": instance.tx_memory,
        "NEO4J_READY_FILE": str(instance.ready_file),
    }
    instance.ready_file.unlink(missing_ok=True)
    classpath = f"{LAUNCHER_JAR}:{LIB_DIR}/*"
    command = [
        java_binary(),
        f"-Xms{instance.heap}",
        f"-Xmx{instance.heap}",
        *JVM_FLAGS,
        "-cp",
        classpath,
        "hub.neo4j.Launcher",
    ]
    pid = process.spawn(command, log_file=instance.log_file, pid_file=instance.pid_file, env=env)
    process.wait_until(
        lambda: instance.ready_file.exists() and is_ready(instance),
        pid=pid,
        timeout=timeout,
        what=f"Neo4j on port {instance.port}",
        log_file=instance.log_file,
    )
    return True


def stop(instance: Neo4jInstance) -> bool:
    return process.terminate(instance.pid_file, timeout=90.0)
