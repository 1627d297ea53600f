"""The readability helper (DOMAIN.md §5): Flesch-Douma, sentences, jargon, the case check, the CLI and the partial."""
import copy
import json

import pytest
from click.testing import CliRunner

from tests.helpers import example_cases
from webapp.readability_cli import readability_command
from webapp.services import readability
from webapp.services.readability import (
    check_case, check_text, douma_label, flesch_douma, jargon_hits, report, split_sentences, syllables,
)


EXAMPLES = example_cases()


def dummy(name: str | None = None) -> dict:
    """Return a deep copy of an example case."""
    return copy.deepcopy(EXAMPLES[name or next(iter(EXAMPLES))])


@pytest.mark.parametrize('word, expected', [
    ('kind', 1), ('ouders', 2), ('buiten', 2), ('september', 3), ('leersteuncentrum', 4), ('gemakkelijk', 4),
    ('week-weekregeling', 5),
])
def test_syllables_come_from_pyphen_dutch_hyphenation(word, expected):
    assert syllables(word) == expected


def test_formula_on_a_hand_computed_example():
    # 10 words, 2 sentences (5 words each), 11 syllables (only "bui-ten" has two):
    # 206.84 - 0.77 x (100 x 11 / 10) - 0.93 x 5 = 206.84 - 84.7 - 4.65 = 117.49
    assert flesch_douma('De kat zit op de mat. Het kind speelt buiten.') == pytest.approx(117.49)


def test_a_simple_text_scores_high_and_a_bureaucratic_one_low():
    simple = 'Uw kind leert goed. Het gaat graag naar school. De juf helpt. We praten samen. Zo weet u wat er gebeurt.'
    hard = ('Overeenkomstig de bepalingen van het decreet betreffende de leersteun wordt de disproportionaliteit van '
            'de voorgestelde redelijke aanpassingen door de klassenraad geëvalueerd binnen het handelingsgericht '
            'diagnostisch traject, waarbij de onderwijsbehoeften en ondersteuningsbehoeften geïntegreerd worden.')
    assert flesch_douma(simple) > 90
    assert flesch_douma(hard) < 30
    assert douma_label(flesch_douma(simple)) == 'zeer gemakkelijk'
    assert douma_label(flesch_douma(hard)) == 'zeer moeilijk'


@pytest.mark.parametrize('score, label', [
    (100.5, 'zeer gemakkelijk'), (90, 'zeer gemakkelijk'), (89.9, 'gemakkelijk'), (80, 'gemakkelijk'),
    (75, 'tamelijk gemakkelijk'), (70, 'tamelijk gemakkelijk'), (69.9, 'normaal'), (60, 'normaal'),
    (59.9, 'tamelijk moeilijk'), (45, 'tamelijk moeilijk'), (44.9, 'moeilijk'), (30, 'moeilijk'),
    (29.9, 'zeer moeilijk'), (-12, 'zeer moeilijk'),
])
def test_douma_norm_table(score, label):
    assert douma_label(score) == label


def test_a_text_without_words_has_no_score():
    with pytest.raises(ValueError):
        flesch_douma(' \n– ')
    assert report('')['score'] is None


def test_sentences_end_at_punctuation_and_line_breaks_but_not_after_abbreviations():
    text = 'Gesteld door dr. De Wilde. Ze is 12 jaar.\nEen kop zonder punt\nWat nu? Dit, bv. een laptop.'
    assert split_sentences(text) == ['Gesteld door dr. De Wilde.', 'Ze is 12 jaar.', 'Een kop zonder punt',
                                     'Wat nu?', 'Dit, bv. een laptop.']


def test_addresses_are_not_counted_as_words():
    assert readability.words('Mail info@clb.example of kijk op https://www.agodi.be/x-y-z nu') == \
        ['Mail', 'of', 'kijk', 'op', 'nu']


def test_jargon_hits_name_the_form_found_and_a_plain_alternative():
    hits = {hit['term']: hit for hit in jargon_hits(
        'Het CLB stelt remediëring voor. De klassenraden besloten over type 9 en het GC-verslag. '
        'Het leersteuncentrum geeft leersteun.')}
    assert set(hits) == {'CLB', 'remediëren', 'klassenraad', 'type', 'GC', 'leersteun'}
    assert hits['remediëren']['vormen'] == ['remediëring']
    assert hits['remediëren']['alternatief'] == 'extra oefenen'
    assert hits['type']['vormen'] == ['type 9']
    assert hits['leersteun']['aantal'] == 1  # "leersteuncentrum" is the plain word, not jargon


def test_abbreviations_match_only_in_capitals_and_as_whole_words():
    # 'GCX' is no GC; as a word in capitals that no entry knows, it is an abbreviation to write out.
    assert [(hit['term'], hit['vormen']) for hit in jargon_hits('Een gc-verslag, een GCX en een iac.')] == \
        [('afkorting', ['GCX'])]


def test_test_names_scores_and_unknown_abbreviations_are_jargon():
    # Issue 13, item 7: a diagnosis copied from a test report is not written for parents.
    hits = {hit['term']: hit['vormen'] for hit in jargon_hits(
        'Zwakbegaafd cognitief functioneren (totaal IQ 73, WISC-V-NL). Autisme (DSM-5), percentiel 5. '
        'GMFCS-niveau en een TOS. Het CLB helpt.')}
    assert hits == {'score': ['totaal IQ 73', 'percentiel 5'], 'testnaam': ['WISC-V-NL', 'DSM-5', 'GMFCS'],
                    'afkorting': ['TOS'], 'CLB': ['CLB']}
    assert jargon_hits('Noor leest graag. Mail naar info@CLB.example of kijk op www.CLB.example.') == []


def test_parents_written_about_in_the_third_person_are_flagged():
    hits = jargon_hits('De ouders hebben korte terugkoppeling nodig. Aan: de ouders van Noor.')
    assert [(hit['term'], hit['vormen']) for hit in hits] == [('de ouders', ['De ouders hebben'])]


def test_every_jargon_term_of_the_domain_list_is_maintained():
    terms = {entry.term for entry in readability.JARGON}
    assert {'CLB', 'HGD', 'IAC', 'GC', 'OV4', 'LSC', 'leersteun', 'type', 'redelijke aanpassingen', 'remediëren',
            'differentiëren', 'compenseren', 'dispenseren', 'disproportioneel', 'klassenraad',
            'ontbindende voorwaarde', 'zorgcontinuüm', 'MDO', 'handelingsgericht'} <= terms
    assert all(entry.alternatief for entry in readability.JARGON)


def test_report_lists_the_longest_sentences_first():
    long_one = 'Dit ' + ' '.join(['woord'] * 23) + '.'
    longer = 'Dat ' + ' '.join(['woord'] * 29) + '.'
    result = report(f'Kort. {long_one} {longer}')
    assert [item['woorden'] for item in result['lange_zinnen']] == [30, 24]
    assert result['zinnen'] == 3
    assert result['gemiddelde_zinslengte'] == pytest.approx(55 / 3, abs=0.05)
    assert result['zinslengte_ok'] is False


def test_check_text_suggests_plain_words_shorter_sentences_and_the_behoefte_form():
    tips = check_text('Remediëring rekenen door de zorgleerkracht.', behoefte=True)['suggesties']
    assert any('remediëring' in tip.lower() and 'extra oefenen' in tip for tip in tips)
    assert any('nodig' in tip for tip in tips)
    assert check_text('Lina heeft extra tijd nodig bij toetsen.', behoefte=True)['suggesties'] == []


@pytest.mark.parametrize('name', sorted(EXAMPLES))
def test_check_case_reports_on_the_dutch_letter_and_every_text_parents_read(name):
    doc = dummy(name)
    result = check_case(doc)
    assert result['brief_ok'] is True
    assert result['brief']['score'] >= 60
    paths = {field['pad'] for field in result['velden']}
    assert {f'traject.behoeften[{i}].formulering' for i in range(len(doc['traject']['behoeften']))} <= paths
    assert {f'traject.doelen[{i}].formulering' for i in range(len(doc['traject'].get('doelen') or []))} <= paths
    assert 'verslag.advies' in paths
    assert all(field['label'] and 'suggesties' in field for field in result['velden'])
    # The CLB's own abbreviation is explained in the letter's word list, so it is not a to-do.
    assert next(hit for hit in result['brief']['jargon'] if hit['term'] == 'CLB')['uitgelegd'] is True


def test_check_case_asks_for_an_explanation_of_a_diagnosis_written_for_professionals(app):
    doc = dummy()
    doc['traject']['diagnosen'] = [
        {'omschrijving': 'Zwakbegaafd cognitief functioneren (totaal IQ 73, WISC-V-NL)', 'gesteld_door': 'CLB',
         'datum': '2025-10-21', 'delen_met_school': True, 'delen_met_ouders': True},
        {'omschrijving': 'Dyslexie (DMT, AVI)', 'gesteld_door': 'CLB', 'datum': '2025-10-21', 'delen_met_school': True,
         'delen_met_ouders': True, 'uitleg_voor_ouders': 'Lezen en spellen blijven moeilijk, ook na veel oefenen.'},
    ]
    with app.test_request_context():
        fields = {field['pad']: field for field in check_case(doc)['velden']}
    raw = fields['traject.diagnosen[0].omschrijving']
    assert {hit['term'] for hit in raw['jargon']} == {'score', 'testnaam'}
    assert any('uitleg voor de ouders' in tip for tip in raw['suggesties'])
    # With an explanation for parents, the letter prints that, and that is what is checked.
    assert 'traject.diagnosen[1].omschrijving' not in fields
    assert fields['traject.diagnosen[1].uitleg_voor_ouders']['jargon'] == []


def test_check_case_without_a_verslag_still_checks_the_behoeften():
    doc = dummy()
    del doc['verslag']
    result = check_case(doc)
    assert result['brief'] is None and result['brief_ok'] is False
    assert 'verslag' in result['melding']
    assert result['velden']


def test_cli_prints_the_report(tmp_path):
    path = tmp_path / 'case.json'
    path.write_text(json.dumps(dummy()), encoding='utf-8')
    result = CliRunner().invoke(readability_command, [str(path)])
    assert result.exit_code == 0, result.output
    assert 'Flesch-Douma' in result.output and 'Gemiddelde zinslengte' in result.output
    as_json = CliRunner().invoke(readability_command, [str(path), '--json', '--strict'])
    assert as_json.exit_code == 0
    assert json.loads(as_json.output)['brief_ok'] is True


def test_cli_strict_fails_when_the_letter_is_too_hard(tmp_path, monkeypatch):
    monkeypatch.setattr(readability, 'TARGET_SCORE', 200.0)
    path = tmp_path / 'case.json'
    path.write_text(json.dumps(dummy()), encoding='utf-8')
    assert CliRunner().invoke(readability_command, [str(path)]).exit_code == 0  # advice never blocks
    assert CliRunner().invoke(readability_command, [str(path), '--strict']).exit_code == 1


def test_cli_refuses_an_invalid_file_without_a_traceback(tmp_path):
    path = tmp_path / 'case.json'
    path.write_text('{"formaat": "traject-case/1"}', encoding='utf-8')
    result = CliRunner().invoke(readability_command, [str(path)])
    assert result.exit_code == 1
    assert 'ongeldig' in result.output and 'Traceback' not in result.output


def test_partial_shows_score_label_sentences_jargon_and_suggestions(app):
    from flask import render_template
    doc = dummy()
    result = check_case(doc)
    with app.test_request_context():
        html = render_template('wizard/_readability.html', readability=result)
    letter = result['brief']
    assert f"{letter['score']:.1f}".replace('.', ',') in html
    assert letter['label'] in html
    assert 'Gemiddelde zinslengte' in html
    assert letter['jargon'][0]['alternatief'] in html
    first_hard = next(field for field in result['velden'] if field['suggesties'])
    assert first_hard['label'] in html


def test_partial_without_a_letter_shows_why(app):
    from flask import render_template
    doc = dummy()
    del doc['verslag']
    with app.test_request_context():
        html = render_template('wizard/_readability.html', readability=check_case(doc))
    assert 'Besluit' in html
