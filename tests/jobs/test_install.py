"""Installing: `pip install .` in a fresh virtualenv writes every language; a missing catalog is an error naming it."""
import json
import os
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.helpers import ROOT, example_cases
from webapp.documents import env


ARABIC = re.compile('[\u0600-\u06ff]{3,}')
CHECK = '''
import json, sys, webapp
from pathlib import Path
from webapp import create_app
from webapp.documents import render
from flask_babel import force_locale, gettext
case = json.loads(Path(sys.argv[1]).read_text())
Path(sys.argv[2]).write_bytes(render(case, 'oudersamenvatting', 'pdf', 'ar'))
app = create_app({'TESTING': True, 'DATABASE_URL': 'sqlite://', 'SECRET_KEY': 'x'})
with app.test_request_context(), force_locale('fr'):
    print(json.dumps({'package': webapp.__file__, 'ui_fr': gettext('Afmelden')}))
'''


def test_pip_install_in_a_fresh_virtualenv_writes_the_arabic_letter_in_arabic(tmp_path):
    venv = tmp_path / 'venv'
    subprocess.run([sys.executable, '-m', 'venv', '--without-pip', str(venv)], check=True)
    python = venv / 'bin' / 'python'
    # The dependencies come from the test environment (a .pth file: no download, a few seconds); Traject itself is
    # built from this checkout and installed into the fresh environment as any user's `pip install .` would.
    purelib = subprocess.run([str(python), '-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'],
                             capture_output=True, text=True, check=True).stdout.strip()
    Path(purelib, 'traject-test-deps.pth').write_text(sysconfig.get_paths()['purelib'] + '\n')
    clean = {k: v for k, v in os.environ.items() if k not in ('PYTHONPATH', 'VIRTUAL_ENV')}
    subprocess.run([sys.executable, '-m', 'pip', '--python', str(python), 'install', '-q', '--no-deps',
                    '--no-build-isolation', str(ROOT)], check=True, env=clean, cwd=tmp_path)
    case = next(doc for doc in example_cases().values() if doc.get('verslag'))
    case_file, pdf = tmp_path / 'case.json', tmp_path / 'letter.pdf'
    case_file.write_text(json.dumps(case))
    out = subprocess.run([str(python), '-c', CHECK, str(case_file), str(pdf)], capture_output=True, text=True,
                         env=clean, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout.splitlines()[-1])
    assert report['package'].startswith(str(venv))  # the installed copy, not this checkout
    assert report['ui_fr'] == 'Se déconnecter'  # the UI's catalogs were compiled by the build
    text = subprocess.run(['pdftotext', '-raw', str(pdf), '-'], capture_output=True, text=True, check=True).stdout
    assert len(ARABIC.findall(text)) > 50


def test_an_uncompiled_catalog_is_read_from_its_po_file(tmp_path, monkeypatch):
    folder = tmp_path / 'ar' / 'LC_MESSAGES'
    folder.mkdir(parents=True)
    (folder / 'documents.po').write_bytes((env.LOCALES_DIR / 'ar' / 'LC_MESSAGES' / 'documents.po').read_bytes())
    monkeypatch.setattr(env, 'LOCALES_DIR', tmp_path)
    env.document_translations.cache_clear()
    try:
        translated = env.document_translations('ar').gettext('Beste ouders,')
    finally:
        env.document_translations.cache_clear()
    assert ARABIC.search(translated)


def test_a_missing_catalog_is_an_error_that_names_it(tmp_path, monkeypatch):
    monkeypatch.setattr(env, 'LOCALES_DIR', tmp_path)
    env.document_translations.cache_clear()
    try:
        with pytest.raises(env.MissingTranslation, match=r"'documents' catalog for language 'ar'.*ar/LC_MESSAGES/"
                                                         r"documents\.po"):
            env.document_translations('ar')
    finally:
        env.document_translations.cache_clear()
