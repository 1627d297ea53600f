"""`make bench`: render speed and memory of every document, against LibreOffice converting the same DOCX.

Prints a table and writes bench/results.json. Not part of `make test`: timings are measured, never asserted.
"""
import copy
import gc
import json
import os
import platform
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from pypdf import PdfReader

from tests.helpers import example_files, load_example
from webapp.documents import kinds_for, render, render_uncached


ROOT = Path(__file__).resolve().parent
RUNS = 20
# unoserver needs Debian's python3-uno: its own venv on /usr/bin/python3, beside the project's .venv.
UNO_VENV = ROOT.parent / '.venv-uno'


def median_ms(func, runs: int = RUNS) -> float:
    """Return the median wall time of `func` in milliseconds, after one warm-up call."""
    func()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def long_iac_case(target_pages: int = 50) -> tuple[dict, int]:
    """Return an IAC case whose plan is about `target_pages` pages long, and its page count."""
    base = next(load_example(p) for p in example_files() if load_example(p).get('iac_plan'))
    goals = base['iac_plan']['doelen']
    doc = copy.deepcopy(base)
    while True:
        pdf = render_uncached(doc, 'iac-plan', 'pdf')
        pages = len(PdfReader(__import__('io').BytesIO(pdf)).pages)
        if pages >= target_pages:
            return doc, pages
        factor = max(1.1, target_pages / pages)
        wanted = int(len(doc['iac_plan']['doelen']) * factor) + 1
        doc['iac_plan']['doelen'] = [copy.deepcopy(goals[i % len(goals)]) for i in range(wanted)]


class UnoServer:
    """A resident LibreOffice behind unoserver, started from a venv that can import Debian's python3-uno."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.port = _free_port()
        self.uno_port = _free_port()
        self.proc = None

    def __enter__(self):
        if not (UNO_VENV / 'bin' / 'unoserver').exists():
            subprocess.run(['/usr/bin/python3', '-m', 'venv', '--system-site-packages', str(UNO_VENV)], check=True)
            subprocess.run([str(UNO_VENV / 'bin' / 'pip'), 'install', '-q', 'unoserver'], check=True)
        profile = self.workdir / 'lo-profile'
        self.proc = subprocess.Popen(
            [str(UNO_VENV / 'bin' / 'unoserver'), '--port', str(self.port), '--uno-port', str(self.uno_port),
             '--user-installation', str(profile)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                self.convert(self.workdir / 'warmup.docx', self.workdir / 'warmup.pdf')
                return self
            except subprocess.CalledProcessError:
                time.sleep(1)
        raise RuntimeError('unoserver did not start')

    def convert(self, src: Path, dst: Path) -> None:
        subprocess.run([str(UNO_VENV / 'bin' / 'unoconvert'), '--port', str(self.port), '--convert-to', 'pdf',
                        str(src), str(dst)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def __exit__(self, *exc):
        # oosplash can survive a plain SIGTERM: stop the whole process group.
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def soffice_cold_ms(src: Path, outdir: Path, profile: Path) -> float:
    """Return the time of one cold `soffice --headless --convert-to pdf` process."""
    start = time.perf_counter()
    subprocess.run(['soffice', f'-env:UserInstallation={profile.as_uri()}', '--headless', '--convert-to', 'pdf',
                    '--outdir', str(outdir), str(src)], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=120)
    return (time.perf_counter() - start) * 1000


def pages_of(pdf: bytes) -> int:
    """Return the number of pages of a PDF."""
    return len(PdfReader(__import__('io').BytesIO(pdf)).pages)


def main() -> int:
    """Run every measurement, print the table, write bench/results.json."""
    rows = []
    docs = {p.stem: load_example(p) for p in example_files()}
    for name, doc in docs.items():
        for kind in kinds_for(doc):
            pdf = render_uncached(doc, kind, 'pdf')
            rows.append({
                'case': name, 'kind': kind, 'pages': pages_of(pdf),
                'docx_ms': round(median_ms(lambda: render_uncached(doc, kind, 'docx')), 1),
                'pdf_ms': round(median_ms(lambda: render_uncached(doc, kind, 'pdf')), 1),
            })
            print(f"{name:38} {kind:24} {rows[-1]['pages']:3} p  docx {rows[-1]['docx_ms']:7.1f} ms  "
                  f"pdf {rows[-1]['pdf_ms']:7.1f} ms", flush=True)

    # A second download of an unchanged document comes from the cache (validation and hashing included).
    cached_doc = next(d for d in docs.values() if d.get('verslag'))
    cached_ms = median_ms(lambda: render(cached_doc, 'verslag', 'pdf'))

    long_doc, long_pages = long_iac_case()
    long_ms = median_ms(lambda: render_uncached(long_doc, 'iac-plan', 'pdf'), runs=5)

    # Peak memory: the process's high-water mark, and the growth over 100 more renders (leak check).
    gc.collect()
    tracemalloc.start()
    verslag_doc = next(d for d in docs.values() if d.get('verslag'))
    for _ in range(100):
        render_uncached(verslag_doc, 'verslag', 'pdf')
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # LibreOffice on our own DOCX of the typical verslag: the example closest to 5-6 pages.
    typical = min((r for r in rows if r['kind'] == 'verslag'), key=lambda r: abs(r['pages'] - 5.5))
    lo = {}
    if shutil.which('soffice'):
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            src = tmp / 'verslag.docx'
            src.write_bytes(render_uncached(docs[typical['case']], 'verslag', 'docx'))
            (tmp / 'warmup.docx').write_bytes(src.read_bytes())
            long_src = tmp / 'iac-plan-long.docx'
            long_src.write_bytes(render_uncached(long_doc, 'iac-plan', 'docx'))
            soffice_cold_ms(src, tmp, tmp / 'cold-profile')  # first start creates the profile
            lo['cold_ms'] = round(statistics.median(soffice_cold_ms(src, tmp, tmp / 'cold-profile')
                                                    for _ in range(3)), 1)
            with UnoServer(tmp) as server:
                lo['warm_ms'] = round(median_ms(lambda: server.convert(src, tmp / 'out.pdf'), runs=10), 1)
                lo['warm_long_ms'] = round(median_ms(lambda: server.convert(long_src, tmp / 'long.pdf'), runs=3), 1)
            lo['warm_long_pages'] = pages_of((tmp / 'long.pdf').read_bytes())
    results = {
        'machine': {'cpus': os.cpu_count(), 'python': platform.python_version(), 'platform': platform.platform()},
        'runs': RUNS,
        'documents': rows,
        'typical_verslag': {'case': typical['case'], 'pages': typical['pages'], 'pdf_ms': typical['pdf_ms'],
                            'docx_ms': typical['docx_ms']},
        'long_iac_plan': {'pages': long_pages, 'pdf_ms': round(long_ms, 1),
                          'ms_per_page': round(long_ms / long_pages, 1)},
        'cached_download_ms': round(cached_ms, 2),
        'memory': {'max_rss_mb': round(maxrss_mb, 1), 'traced_peak_mb_100_renders': round(traced_peak / 2**20, 1)},
        'libreoffice': lo,
    }
    if lo:
        results['ratios'] = {
            'verslag_pdf_vs_lo_warm': round(typical['pdf_ms'] / lo['warm_ms'], 2),
            'verslag_pdf_vs_lo_cold': round(typical['pdf_ms'] / lo['cold_ms'], 2),
            'long_per_page_vs_lo_warm': round((long_ms / long_pages) / (lo['warm_long_ms'] / lo['warm_long_pages']), 2),
        }
    (ROOT / 'results.json').write_text(json.dumps(results, indent=2))
    _print_summary(results)
    return 0


def _print_summary(r: dict) -> None:
    t, long_, lo = r['typical_verslag'], r['long_iac_plan'], r['libreoffice']
    print()
    print(f"{'measure':48} {'value':>12}  target")
    line = lambda name, value, target='': print(f'{name:48} {value:>12}  {target}')  # noqa: E731
    line(f"verslag PDF, {t['pages']} pages (median of {r['runs']})", f"{t['pdf_ms']} ms", '< 250 ms, <= LO warm')
    line('verslag DOCX (median)', f"{t['docx_ms']} ms", '< 40 ms')
    line(f"IAC plan PDF, {long_['pages']} pages", f"{long_['ms_per_page']} ms/p", '< 60 ms/page')
    line('verslag PDF again, unchanged (cache hit)', f"{r['cached_download_ms']} ms")
    line('max RSS', f"{r['memory']['max_rss_mb']} MB")
    line('traced peak over 100 renders', f"{r['memory']['traced_peak_mb_100_renders']} MB")
    if lo:
        line('LibreOffice cold (soffice --convert-to)', f"{lo['cold_ms']} ms")
        line('LibreOffice warm (unoserver)', f"{lo['warm_ms']} ms")
        line(f"LibreOffice warm, long IAC plan ({lo['warm_long_pages']} p)",
             f"{round(lo['warm_long_ms'] / lo['warm_long_pages'], 1)} ms/p")
        for key, value in r['ratios'].items():
            line(f'ratio {key}', f'{value}x')


if __name__ == '__main__':
    sys.exit(main())
