"""Gunicorn's settings for Sentra, used by `make serve` and deploy/sentra-web.service.

From the environment: SENTRA_BIND (default 127.0.0.1:8000, behind nginx), WEB_CONCURRENCY (worker
processes), FORWARDED_ALLOW_IPS (the proxy's addresses, default 127.0.0.1 and ::1, read by gunicorn).
"""

import os

wsgi_app = "sentra.wsgi:application"
bind = os.environ.get("SENTRA_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", str(min(2 * (os.cpu_count() or 1) + 1, 8))))
# A report of up to REPORT_INLINE_MAX_BUSINESSES UMKM is drawn while the officer waits.
timeout = 120
# A worker process is replaced now and then, so that memory taken by a large export is given back.
max_requests = 1000
max_requests_jitter = 100
accesslog = "-"
errorlog = "-"
# No control socket in the service user's home (gunicornc is not needed: systemd restarts and reloads).
control_socket_disable = True
