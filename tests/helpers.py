"""Test helpers shared by every test package: where the example cases are, and loading them."""
import json
import os
from pathlib import Path

from webapp import db
from webapp.db import Base
from webapp.models.audit import APPEND_ONLY, DROP_APPEND_ONLY


ROOT = Path(__file__).resolve().parents[1]
# A worktree beside the project (/work/wt/NAME) has no ../shared: TRAJECT_EXAMPLES points the tests at the examples.
SHARED_EXAMPLES = Path(os.environ.get('TRAJECT_EXAMPLES') or ROOT.parent / 'shared' / 'examples')
OWN_EXAMPLES = ROOT / 'tests' / 'data'


def example_dir() -> Path:
    """Return ../shared/examples when it exists, else the project's own fictional cases in tests/data."""
    return SHARED_EXAMPLES if SHARED_EXAMPLES.is_dir() else OWN_EXAMPLES


def example_files() -> list[Path]:
    """Return every example file (cases and samenwerkingen), sorted by name."""
    return sorted(example_dir().glob('*.json'))


def load_example(path: Path) -> dict:
    """Return the parsed example at `path`."""
    return json.loads(path.read_text(encoding='utf-8'))


def example_cases(formaat: str = 'traject-case/1') -> dict[str, dict]:
    """Return {file stem: document} for every example of `formaat`."""
    docs = {p.stem: load_example(p) for p in example_files()}
    return {name: doc for name, doc in docs.items() if doc.get('formaat') == formaat}


def empty_database(app) -> None:
    """Delete every row the test wrote, children first, and close the app's connections.

    The audit trail refuses DELETE (database triggers): its triggers are lifted for the clean-up and put back.
    """
    engine = db.get_engine(app)
    dialect = engine.dialect.name
    with engine.begin() as connection:
        for statement in DROP_APPEND_ONLY.get(dialect, ()):
            connection.exec_driver_sql(statement)
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
        for statement in APPEND_ONLY.get(dialect, ()):
            connection.exec_driver_sql(statement)
    engine.dispose()
