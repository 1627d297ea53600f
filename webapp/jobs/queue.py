"""Where background work runs: RQ on Redis when REDIS_URL is set and Redis answers, else a worker thread of the app.

Both run the same task functions (webapp.jobs.tasks) with the same arguments, plain values only, so the embedded
mode of `make run` keeps every feature, and a CLB's deployment moves the heavy work to `traject worker` processes.
When Redis stops, the app notices at once and falls back to its own thread until Redis answers again.
"""
import itertools
import logging
import queue
import threading
import time
from typing import Any

from flask import Flask, current_app


logger = logging.getLogger(__name__)
# Workers take from the first queue before the second: the prerenders of a save before the next slice of a bulk job.
QUEUES = {'default': 'traject', 'bulk': 'traject-bulk'}
_REDIS_RETRY_SECONDS = 5.0
# A job with a job_id marks itself waiting under this key until a worker starts it: the same work is not queued twice
# meanwhile, and a change after the start queues it again (the running job may have read the record before it).
WAITING_KEY = 'traject:waiting:{}'
_WAITING_SECONDS = 600  # a mark outlives a job lost with its Redis data by at most this long


class JobQueue:
    """The app's way to start background work."""

    def __init__(self, app: Flask):
        self.app = app
        self.redis_url: str | None = app.config.get('REDIS_URL') or None
        self._redis = None
        self._redis_down_until = 0.0
        self._tasks: queue.PriorityQueue = queue.PriorityQueue()
        self._order = itertools.count()
        self._pending: set[str] = set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    # Redis

    def redis(self):
        """Return a Redis client when REDIS_URL is set and Redis answered lately, else None."""
        if not self.redis_url or time.monotonic() < self._redis_down_until:
            return None
        if self._redis is None:
            from redis import Redis
            self._redis = Redis.from_url(self.redis_url, socket_connect_timeout=0.5, socket_timeout=5)
        return self._redis

    def redis_status(self) -> tuple[bool | None, str]:
        """Return (up, what) for /healthz: None when no Redis is configured (the embedded mode)."""
        if not self.redis_url:
            return None, 'geen REDIS_URL: taken lopen in de app zelf'
        from redis import RedisError
        try:
            from redis import Redis
            with Redis.from_url(self.redis_url, socket_connect_timeout=0.5, socket_timeout=1) as client:
                client.ping()
        except RedisError as exc:
            return False, f'Redis antwoordt niet ({type(exc).__name__}); taken lopen in de app zelf'
        return True, 'ok'

    def _mark_redis_down(self, exc: Exception) -> None:
        logger.warning('Redis is unreachable (%s); running jobs in the app for %s s', type(exc).__name__,
                       _REDIS_RETRY_SECONDS)
        self._redis_down_until = time.monotonic() + _REDIS_RETRY_SECONDS
        self._redis = None

    # Enqueueing

    def enqueue(self, task: str, *args: Any, job_id: str | None = None, timeout: int | None = None,
                queue: str = 'default') -> str:
        """Run `webapp.jobs.tasks.<task>(*args)` in the background; a job_id already waiting is not queued twice.

        Returns where it went: 'redis' or 'thread'.
        """
        client = self.redis()
        if client is not None:
            from redis import RedisError
            from rq import Queue
            waiting = None if job_id is None else WAITING_KEY.format(job_id)
            try:
                if waiting is not None and not client.set(waiting, 1, nx=True, ex=_WAITING_SECONDS):
                    return 'redis'  # waiting already: when it starts, it reads the record as it is then
                try:
                    Queue(QUEUES[queue], connection=client).enqueue_call(
                        'webapp.jobs.queue.run_task', args=(task, waiting, *args),
                        timeout=timeout or int(self.app.config.get('JOB_TIMEOUT', 3600)), result_ttl=60,
                        failure_ttl=24 * 3600)
                except BaseException:
                    if waiting is not None:
                        client.delete(waiting)
                    raise
                return 'redis'
            except RedisError as exc:
                self._mark_redis_down(exc)
        self._enqueue_thread(task, args, job_id, queue)
        return 'thread'

    def _enqueue_thread(self, task: str, args: tuple, job_id: str | None, queue: str) -> None:
        with self._lock:
            if job_id is not None:
                if job_id in self._pending:
                    return
                self._pending.add(job_id)
            # The same order as the workers': a waiting prerender before the next slice of a bulk job.
            self._tasks.put((0 if queue == 'default' else 1, next(self._order), (task, args, job_id)))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name='traject-jobs', daemon=True)
                self._thread.start()

    def _work(self) -> None:
        from webapp.jobs import tasks
        while True:
            _priority, _order, (task, args, job_id) = self._tasks.get()
            with self._lock:
                self._pending.discard(job_id)
            try:
                with self.app.app_context():
                    getattr(tasks, task)(*args)
            except Exception:  # noqa: BLE001 - a failed job is logged; the thread serves the next one
                logger.exception('Background job %s failed', task)
            finally:
                self._tasks.task_done()

    def wait_idle(self, timeout: float = 60) -> bool:
        """Wait until the worker thread has nothing left to do (tests, and the CLI before it exits)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._tasks.unfinished_tasks == 0:
                return True
            time.sleep(0.02)
        return False


def run_task(task: str, waiting: str | None, *args: Any) -> Any:
    """Run `webapp.jobs.tasks.<task>(*args)` in an RQ worker, after clearing its waiting mark (JobQueue.enqueue)."""
    from rq import get_current_job

    from webapp.jobs import tasks
    if waiting is not None:
        get_current_job().connection.delete(waiting)
    return getattr(tasks, task)(*args)


def get_queue(app: Flask | None = None) -> JobQueue:
    """Return the job queue of `app` (default: the current app)."""
    return (app or current_app).extensions['traject_jobs']
