"""Every render runs in a separate process with a time limit and a memory limit (RLIMIT_AS), at a low CPU priority.

A render process is started once and serves render after render (the fonts, styles and compiled templates stay warm
in it). A render that passes its time limit is killed with its process; one that asks for more memory than allowed
gets a MemoryError in its own process, or the kernel ends that process. Either way only that render fails, with a
clear message, and a fresh process serves the next one: the web worker or job worker that asked is never at risk.

Renders take the cores only while pages do not need them: a render process runs at least at niceness RENDER_NICE
(default 10), and the renders of bulk jobs in Linux's idle class (SCHED_IDLE), so a page answers quickly while
hundreds of documents are rendered, and a document someone waits for goes before a bulk job.
"""
import atexit
import os
import resource
import socket
import subprocess
import sys
import threading
from datetime import date
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from flask_babel import gettext as _


DEFAULT_TIMEOUT = 60.0
DEFAULT_MEMORY_MB = 1024
# The render processes a web or job worker may keep; more threads asking at once wait for a free one.
DEFAULT_PROCESSES = 1
DEFAULT_NICE = 10
WARM_UP_CASE = 'case-emma-iac-basisaanbod.json'  # a demo case whose verslag warms a fresh render process
_DEMO = Path(__file__).resolve().parents[1] / 'demo'
_SOURCE_ROOT = Path(__file__).resolve().parents[2]  # where `webapp` is importable from


class RenderRefused(RuntimeError):
    """A render passed its limits; `str()` is the message for the user, in the current request's language."""


class RenderTimeout(RenderRefused):
    """The render took longer than its time limit."""

    def __init__(self, seconds: float):
        super().__init__(seconds)
        self.seconds = seconds

    def __str__(self) -> str:
        return _('Dit document is te groot om te maken: het duurde langer dan {seconds} seconden. Maak de lange '
                 'teksten of lijsten van het dossier korter, of vraag de beheerder om hulp.').format(
            seconds=round(self.seconds))


class RenderTooLarge(RenderRefused):
    """The render needed more memory than its limit."""

    def __init__(self, megabytes: int):
        super().__init__(megabytes)
        self.megabytes = megabytes

    def __str__(self) -> str:
        return _('Dit document is te groot om te maken: het vroeg meer dan {mb} MB geheugen. Maak de lange teksten '
                 'of lijsten van het dossier korter, of vraag de beheerder om hulp.').format(mb=self.megabytes)


class RenderFailed(RenderRefused):
    """The render process failed for another reason (logged in that process)."""

    def __str__(self) -> str:
        return _('Het document kon niet gemaakt worden. Probeer het later opnieuw.')


def serve(fd: int, memory_bytes: int, nice: int = DEFAULT_NICE, idle: bool = False) -> None:
    """The render process: limit its own address space and CPU priority, then answer render requests until the pipe
    closes."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    lower_priority(nice, idle=idle)
    from webapp.documents import render_uncached
    conn = Connection(fd)
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        try:
            conn.send(('ok', b'pong' if request is None else render_uncached(**request)))
        except MemoryError:
            conn.send(('memory', None))
            return  # a process that ran out of memory may be in a bad state: let a fresh one take over
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises RenderFailed
            conn.send(('error', f'{type(exc).__name__}: {exc}'))


def lower_priority(nice: int, *, idle: bool = False) -> None:
    """Run this process at niceness `nice` or lower priority, and in the idle class if `idle` (never higher)."""
    current = os.getpriority(os.PRIO_PROCESS, 0)
    if nice > current:
        os.setpriority(os.PRIO_PROCESS, 0, min(nice, 19))
    if idle and hasattr(os, 'SCHED_IDLE'):
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))


class _Child:
    """One render process and the parent's end of its pipe."""

    def __init__(self, memory_bytes: int, nice: int = DEFAULT_NICE, idle: bool = False):
        # A fresh interpreter, neither a fork of a threaded web worker nor multiprocessing's spawn (which would
        # re-import whatever script started this process).
        parent_end, child_end = socket.socketpair()
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, (str(_SOURCE_ROOT),
                                                                         os.environ.get('PYTHONPATH')))))
        code = f'from webapp.jobs.runner import serve; serve({child_end.fileno()}, {memory_bytes}, {nice}, {idle})'
        self.process = subprocess.Popen([sys.executable, '-c', code], pass_fds=[child_end.fileno()], env=env,
                                        stdin=subprocess.DEVNULL)
        child_end.close()
        self.conn = Connection(parent_end.detach())

    def alive(self) -> bool:
        """Return whether the process still runs."""
        return self.process.poll() is None

    def stop(self) -> None:
        """End the process at once (a render past its time limit, or a process that broke)."""
        if self.alive():
            self.process.kill()
        self.process.wait(5)
        self.conn.close()


class RenderPool:
    """Up to `processes` render processes, each with `timeout` seconds and `memory_mb` megabytes per render, at
    niceness `nice` (and in the idle class if `idle`)."""

    def __init__(self, *, processes: int = DEFAULT_PROCESSES, timeout: float = DEFAULT_TIMEOUT,
                 memory_mb: int = DEFAULT_MEMORY_MB, nice: int = DEFAULT_NICE, idle: bool = False):
        self.timeout, self.memory_mb, self.nice, self.idle = timeout, memory_mb, nice, idle
        self._idle: list[_Child] = []
        self._slots = threading.BoundedSemaphore(processes)
        self._lock = threading.Lock()
        self._pid = os.getpid()

    def render(self, case: dict[str, Any], kind: str, fmt: str, language: str, *, final: bool,
               today: date, version: int | None = None) -> bytes:
        """Render in a render process; raise RenderTimeout, RenderTooLarge or RenderFailed when it breaks a limit."""
        with self._slots:
            child = self._take()
            try:
                child.conn.send({'case': case, 'kind': kind, 'fmt': fmt, 'language': language, 'final': final,
                                 'today': today, 'version': version})
                if not child.conn.poll(self.timeout):
                    child.stop()
                    raise RenderTimeout(self.timeout)
                status, value = child.conn.recv()
            except (EOFError, OSError):
                # The kernel ended the process: past its address-space limit inside C code, where Python could
                # not raise MemoryError.
                child.stop()
                raise RenderTooLarge(self.memory_mb)
            if status == 'memory':
                child.stop()
                raise RenderTooLarge(self.memory_mb)
            self._give_back(child)
            if status == 'error':
                raise RenderFailed(value)
            return value

    def warm_up(self) -> None:
        """Start a render process and render a sample document in it (fonts, styles, templates loaded), so that the
        first document someone asks for after a (re)start is not the one that waits for all that."""
        import json
        import logging
        sample = json.loads((_DEMO / WARM_UP_CASE).read_text(encoding='utf-8'))
        try:
            self.render(sample, 'verslag', 'pdf', 'nl', final=False, today=date.today())
        except Exception:  # noqa: BLE001 - the first real render then starts cold, and says why if it fails too
            logging.getLogger(__name__).exception('Warming up a render process failed')

    def ping(self) -> None:
        """Check that a render process answers (for /healthz); raise RenderRefused if it does not."""
        with self._slots:
            child = self._take()
            try:
                child.conn.send(None)
                answered = child.conn.poll(self.timeout) and child.conn.recv() == ('ok', b'pong')
            except (EOFError, OSError):
                answered = False
            if not answered:
                child.stop()
                raise RenderFailed('the render process did not answer')
            self._give_back(child)

    def _take(self) -> _Child:
        with self._lock:
            while self._idle:
                child = self._idle.pop()
                if child.alive():
                    return child
                child.stop()
        return _Child(self.memory_mb * 1024 * 1024, self.nice, self.idle)

    def _give_back(self, child: _Child) -> None:
        with self._lock:
            self._idle.append(child)

    def close(self) -> None:
        """Stop every idle render process."""
        with self._lock:
            idle, self._idle = self._idle, []
        for child in idle:
            child.stop()


def warm_up_in_background(config: dict, *, background: bool = False) -> threading.Thread:
    """Warm this process's render pool (get_pool) in a thread of its own; return the thread."""
    thread = threading.Thread(target=get_pool(config, background=background).warm_up, name='traject-warm-up',
                              daemon=True)
    thread.start()
    return thread


_POOLS: dict[tuple, RenderPool] = {}
_POOLS_LOCK = threading.Lock()


def get_pool(config: dict, *, background: bool = False) -> RenderPool:
    """Return this process's render pool for the app's limits (one per process; a forked child makes its own).

    `background`: the pool for renders nobody waits for (bulk jobs), in the idle class.
    """
    settings = (int(config.get('RENDER_PROCESSES', DEFAULT_PROCESSES)),
                float(config.get('RENDER_TIMEOUT', DEFAULT_TIMEOUT)),
                int(config.get('RENDER_MEMORY_MB', DEFAULT_MEMORY_MB)), int(config.get('RENDER_NICE', DEFAULT_NICE)),
                background, os.getpid())
    with _POOLS_LOCK:
        if settings not in _POOLS:
            _POOLS[settings] = RenderPool(processes=settings[0], timeout=settings[1], memory_mb=settings[2],
                                          nice=settings[3], idle=background)
        return _POOLS[settings]


@atexit.register
def _close_pools() -> None:
    # Render processes end with the process that started them (they would also end on their own, at EOF).
    for pool in _POOLS.values():
        pool.close()
