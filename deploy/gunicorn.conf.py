"""gunicorn settings for the hub: `gunicorn -c deploy/gunicorn.conf.py` serves
referral_hub/wsgi.py as a deployment does. `make serve` starts it, and make bench measures
the API through it. Read from the environment (docs/configuration.md: HUB_WEB_*,
docs/serving.md)."""

import os
from pathlib import Path

wsgi_app = "referral_hub.wsgi:application"
bind = os.environ.get("HUB_WEB_BIND", "127.0.0.1:8000")
# Threads, not only processes: a request spends most of its time waiting for Neo4j, and
# each process keeps one driver with its own connection pool (graph/driver.py).
worker_class = "gthread"
workers = int(os.environ.get("HUB_WEB_WORKERS", str(os.cpu_count() or 1)))
threads = int(os.environ.get("HUB_WEB_THREADS", "4"))
# The app writes each request's access record itself, with its request id and route
# (HUB_REQUEST_LOG, referral_hub/core/metrics.py), so gunicorn's own is off unless asked
# for ("-": standard output).
accesslog = os.environ.get("HUB_WEB_ACCESS_LOG", "") or None
errorlog = "-"
# gunicorn's own lines (start, worker exits) in the app's format: JSON lines unless asked
# for plain text (HUB_LOG_FORMAT; plain when DJANGO_DEBUG is on, as in settings.py).
_debug = os.environ.get("DJANGO_DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}
if (os.environ.get("HUB_LOG_FORMAT") or ("plain" if _debug else "json")) == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(levelname)s %(name)s %(message)s",
                "timestamp": "time",
                "rename_fields": {"levelname": "level", "name": "logger"},
            }
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "json"},
            "null": {"class": "logging.NullHandler"},
        },
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
            # Configuring the logger turns gunicorn's access log on: to nowhere unless asked.
            "gunicorn.access": {
                "handlers": ["console" if accesslog else "null"],
                "level": "INFO",
                "propagate": False,
            },
        },
    }
keepalive = int(os.environ.get("HUB_WEB_KEEPALIVE", "5"))
# Longer than a Neo4j transaction may run (NEO4J_TRANSACTION_TIMEOUT_SECONDS, 30), so a
# worker is never killed for a statement the server would still end by itself.
timeout = int(os.environ.get("HUB_WEB_TIMEOUT", "45"))
graceful_timeout = 10
# gunicorn 25.1+ opens a control socket at one path per user ($XDG_RUNTIME_DIR or
# ~/.gunicorn/gunicorn.ctl) for its gunicornc tool: two hubs on one machine (make bench
# beside the tests' server) would take it from each other, and nothing here uses it.
control_socket_disable = True

# Prometheus's multiprocess mode (referral_hub/core/metrics.py): each worker process
# writes its samples under this folder and a scrape of any one of them adds all up. Set
# here, before the workers fork and import prometheus_client, so they all see it; by
# default one folder per port under HUB_DATA_DIR (two servers on a machine stay apart).
_data = Path(os.environ.get("HUB_DATA_DIR") or Path(__file__).resolve().parent.parent / ".data")
_port = bind.rsplit(":", 1)[-1]
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(_data / "prometheus" / f"web-{_port}"))


def _empty_metrics_dir() -> None:
    """Only the client's own files go: the folder may be one a deployment named."""
    folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()


def on_starting(server: object) -> None:
    """Samples of an earlier run's processes must not be added to this run's."""
    _empty_metrics_dir()


def on_exit(server: object) -> None:
    """Nothing scrapes a stopped server's samples (make bench's servers, on a new port
    each time, would otherwise leave theirs behind)."""
    _empty_metrics_dir()


def child_exit(server: object, worker: object) -> None:
    """A worker process that ended (restarted, killed): its live gauges are dropped, its
    counters keep counting in the sums (prometheus_client's multiprocess rules)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(getattr(worker, "pid", 0))
