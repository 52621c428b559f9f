"""gunicorn settings for the hub: `gunicorn -c deploy/gunicorn.conf.py` serves
referral_hub/wsgi.py as a deployment does. make bench measures the API through it, and
issue 18's `make serve` is meant to start it too. Read from the environment
(docs/configuration.md: HUB_WEB_*)."""

import os

wsgi_app = "referral_hub.wsgi:application"
bind = os.environ.get("HUB_WEB_BIND", "127.0.0.1:8000")
# Threads, not only processes: a request spends most of its time waiting for Neo4j, and
# each process keeps one driver with its own connection pool (graph/driver.py).
worker_class = "gthread"
workers = int(os.environ.get("HUB_WEB_WORKERS", str(os.cpu_count() or 1)))
threads = int(os.environ.get("HUB_WEB_THREADS", "4"))
# An empty value turns the access log off (make bench: one line per request is not free).
accesslog = os.environ.get("HUB_WEB_ACCESS_LOG", "-") or None
errorlog = "-"
keepalive = int(os.environ.get("HUB_WEB_KEEPALIVE", "5"))
# Longer than a Neo4j transaction may run (NEO4J_TRANSACTION_TIMEOUT_SECONDS, 30), so a
# worker is never killed for a statement the server would still end by itself.
timeout = int(os.environ.get("HUB_WEB_TIMEOUT", "45"))
graceful_timeout = 10
# gunicorn 25.1+ opens a control socket at one path per user ($XDG_RUNTIME_DIR or
# ~/.gunicorn/gunicorn.ctl) for its gunicornc tool: two hubs on one machine (make bench
# beside the tests' server) would take it from each other, and nothing here uses it.
control_socket_disable = True
