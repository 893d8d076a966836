"""gunicorn settings for the web process (deploy/systemd/campaign-web.service uses it)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: pages are short database reads; 2 per core plus one is gunicorn's advice.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
worker_class = "gthread"
timeout = 120  # an Excel import of 100,000 opinions runs in the request (about 40 s)
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
# No query strings, referrers or browsers in the access log: a query string can carry what a
# log must not keep (search words; a ballot code, in links printed before codes moved to the
# URL's fragment), and the log has the time and address to go with it (DESIGN.md §4.2).
# %(U)s is the path alone; gunicorn's default %(r)s is the whole request line.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
forwarded_allow_ips = "127.0.0.1"
proxy_allow_ips = "127.0.0.1"
