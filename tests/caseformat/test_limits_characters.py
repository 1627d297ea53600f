"""Characters the case format refuses outside `extra`: every C0 control but tab, LF and CR, DEL, and lone surrogates.

test_validate.py tries U+0000 and U+007F; a pattern that lost any other code point would pass it. Here every code
point of the rule is tried, in a free-text field, in a list of texts and in a nested object, and the allowed
neighbours are tried as well.
"""
import copy
import json
from pathlib import Path

import pytest

from webapp.caseformat import check


GC = json.loads((Path(__file__).resolve().parents[1] / 'data' / 'case-ayla-gc-lager.json').read_text(encoding='utf-8'))
REFUSED = [chr(c) for c in range(0x20) if chr(c) not in '\t\n\r'] + ['\x7f']
ALLOWED = ['\t', '\n', '\r', ' ', '\x80', '\x9f', '\u00a0', '\u200f', '\ufffd', '\U0001f600']
SURROGATES = ['\ud800', '\udbff', '\udc00', '\udfff']
PLACES = [  # (path of the problem, how to put the text there)
    ('traject.aanleiding', lambda doc, text: doc['traject'].__setitem__('aanleiding', text)),
    ('leerling.klas', lambda doc, text: doc['leerling'].__setitem__('klas', text)),
    ('overleg[0].deelnemers[0]', lambda doc, text: doc['overleg'][0]['deelnemers'].__setitem__(0, text)),
]


def _with(path_index: int, text: str) -> dict:
    doc = copy.deepcopy(GC)
    PLACES[path_index][1](doc, text)
    return doc


@pytest.mark.parametrize('place', range(len(PLACES)), ids=[path for path, _put in PLACES])
@pytest.mark.parametrize('char', REFUSED, ids=[f'U+{ord(c):04X}' for c in REFUSED])
def test_every_control_character_but_tab_lf_and_cr_is_refused(char, place):
    path = PLACES[place][0]
    problems = check(_with(place, f'a{char}b'))
    assert [(p.path, p.message) for p in problems] == [(path, f'bevat een ongeldig stuurteken (U+{ord(char):04X})')]


@pytest.mark.parametrize('place', range(len(PLACES)), ids=[path for path, _put in PLACES])
@pytest.mark.parametrize('char', SURROGATES, ids=[f'U+{ord(c):04X}' for c in SURROGATES])
def test_a_lone_surrogate_is_refused_outside_extra(char, place):
    path = PLACES[place][0]
    problems = check(_with(place, f'a{char}b'))
    assert [(p.path, p.message) for p in problems] == [(path, f'bevat een ongeldig teken (U+{ord(char):04X})')]


@pytest.mark.parametrize('char', SURROGATES, ids=[f'U+{ord(c):04X}' for c in SURROGATES])
def test_a_lone_surrogate_is_refused_inside_extra_too(char):
    # It cannot be written as UTF-8, so not even `extra` may keep it; other control characters may stay there.
    doc = {**copy.deepcopy(GC), 'extra': {'notitie': f'a{char}b', 'bel': 'a\x07b'}}
    assert [p.path for p in check(doc)] == ['extra.notitie']


@pytest.mark.parametrize('char', ALLOWED, ids=[f'U+{ord(c):04X}' for c in ALLOWED])
def test_the_characters_beside_the_rule_are_accepted(char):
    assert check(_with(0, f'a{char}b')) == []
