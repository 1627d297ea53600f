"""Fixtures for the parents' link: final example cases and links made the way a CLB worker makes them."""
import copy

import pytest

from tests.helpers import example_cases
from webapp.services import links
from webapp.services.cases import finalize_case, import_document


def example(name_part: str) -> dict:
    """Return a deep copy of the example case whose file name contains `name_part`."""
    return copy.deepcopy(next(doc for name, doc in example_cases().items() if name_part in name))


@pytest.fixture
def final_case(session):
    """Return a function that imports a case document, finalises it (freezing version 1) and returns the Case."""
    def _make(doc: dict):
        case = import_document(session, doc)
        finalize_case(session, case, actor='test')
        session.commit()
        return case
    return _make


@pytest.fixture
def milan(final_case):
    """Milan (12 on the verslag's date, consent 'delen-met-ouders' given): parent 2 reads Arabic."""
    doc = example('milan')
    doc['ouders'][1]['voorkeurtaal'] = 'ar'
    return final_case(doc)


@pytest.fixture
def make_link(session):
    """Return a function that makes a link for parent `ouder` of `case` and returns (link, token)."""
    def _make(case, ouder: int = 2, days: int = links.DEFAULT_DAYS):
        link, token = links.create_link(session, case, ouder, days=days, actor='medewerker')
        session.commit()
        return link, token
    return _make
