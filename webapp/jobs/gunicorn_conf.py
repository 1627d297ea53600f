"""gunicorn settings of `make serve`: workers and threads from the core count, a request timeout, recycled workers.

Every setting can be overridden from the environment (README, "Running for a whole CLB").
"""
import os


cores = os.cpu_count() or 1
bind = os.environ.get('TRAJECT_BIND', f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}")
# Renders run in render processes, so a web worker mostly waits on the database and on them: one worker per core
# plus one keeps the cores busy. A download waiting for its render holds a thread without using the CPU: enough
# threads each that those waits never queue a page behind them.
workers = int(os.environ.get('TRAJECT_WEB_WORKERS', cores + 1))
worker_class = 'gthread'
threads = int(os.environ.get('TRAJECT_WEB_THREADS', 8))
# A download may wait for a render up to its time limit; the request may take that long, and a little more.
timeout = int(float(os.environ.get('TRAJECT_RENDER_TIMEOUT', 60))) + 30
graceful_timeout = 30
# Behind a reverse proxy (README) a connection is reused for many requests; an idle one closed after a few seconds
# races with the next request sent on it (a reset the client sees as an error).
keepalive = int(os.environ.get('TRAJECT_KEEPALIVE', 30))
# A worker is replaced after about a thousand requests (jitter: not all at once), so no slow leak can grow.
max_requests = int(os.environ.get('TRAJECT_MAX_REQUESTS', 1000))
max_requests_jitter = max_requests // 10
# X-Forwarded-* headers are believed only from these addresses (the reverse proxy); see TRAJECT_PROXY_COUNT.
forwarded_allow_ips = os.environ.get('TRAJECT_PROXIES', '127.0.0.1')
accesslog = os.environ.get('TRAJECT_ACCESS_LOG', '-')
# gunicorn's usual line, plus how long the request took in milliseconds.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
errorlog = '-'
# The access log writes request paths; a parents' link carries its token in the path (webapp/portal/logs.py).
logger_class = 'webapp.portal.logs.RedactingGunicornLogger'


def post_worker_init(worker) -> None:
    """Start and warm the web worker's render process at once, not at the first download that needs it."""
    from webapp.jobs.runner import warm_up_in_background
    warm_up_in_background(worker.wsgi.config)
