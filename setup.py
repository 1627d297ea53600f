"""Build hook: the package carries its document templates and catalogs, with every catalog compiled.

`pip install .` copies templates_docs/ and locales/ into the package as webapp/_data/ (webapp.documents.env finds
them there) and compiles each .po into its .mo; `pip install -e .` compiles the .mo files in place. Without them
Flask-Babel would show the Dutch source text for every other language, without a word.
"""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


ROOT = Path(__file__).resolve().parent
DATA_DIRS = ('templates_docs', 'locales')


def compile_catalogs(locales: Path) -> None:
    """Compile every locales/<lang>/LC_MESSAGES/<domain>.po into its .mo; a broken catalog stops the build."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    for po in sorted(locales.glob('*/LC_MESSAGES/*.po')):
        with po.open('rb') as source:
            catalog = read_po(source, locale=po.parts[-3], domain=po.stem, abort_invalid=True)
        with po.with_suffix('.mo').open('wb') as target:
            write_mo(target, catalog)


class BuildWithCatalogs(build_py):
    """build_py, plus the document templates and the compiled catalogs."""

    def run(self) -> None:
        super().run()
        if getattr(self, 'editable_mode', False):
            compile_catalogs(ROOT / 'locales')
            return
        target = Path(self.build_lib) / 'webapp' / '_data'
        for name in DATA_DIRS:
            shutil.copytree(ROOT / name, target / name, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns('__pycache__', '*.py', '*.pyc', '*.mo'))
        compile_catalogs(target / 'locales')


setup(cmdclass={'build_py': BuildWithCatalogs})
