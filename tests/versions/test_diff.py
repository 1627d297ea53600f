"""The diff between two versions: every changed leaf, list items matched by content, in the new document's order."""
from webapp.services.versions import changes
from webapp.versions import compare, marked
from webapp.wizard.steps import CASE_FLOW


def test_an_item_removed_from_the_middle_of_a_list_is_that_item_alone():
    old = {'behoeften': [{'f': 'een'}, {'f': 'twee'}, {'f': 'drie'}]}
    new = {'behoeften': [{'f': 'een'}, {'f': 'drie'}]}
    assert [(c.path, c.old, c.new, c.status) for c in changes(old, new)] == [('behoeften[1].f', 'twee', None,
                                                                              'removed')]


def test_changed_added_and_removed_leaves_in_order():
    old = {'a': 'oud', 'b': {'c': True}, 'lijst': ['x'], 'weg': 'tekst'}
    new = {'a': 'nieuw', 'b': {'c': False, 'd': '2026-12-06'}, 'lijst': ['x', 'y']}
    assert [(c.path, c.status) for c in changes(old, new)] == [
        ('a', 'changed'), ('b.c', 'changed'), ('b.d', 'added'), ('lijst[1]', 'added'), ('weg', 'removed')]


def test_an_empty_string_and_a_missing_key_are_the_same():
    assert changes({'a': ''}, {}) == [] and changes({}, {'a': None}) == []


def test_only_the_changed_words_are_marked_without_their_spaces():
    old, new = marked('hulp bij wiskunde en taal', 'hulp bij rekenen en taal')
    assert ('wiskunde', True) in old and ('rekenen', True) in new
    assert all(not changed for text, changed in new if text.strip() in ('hulp', 'bij', 'en', 'taal'))
    assert not any(changed and text != text.strip() for text, changed in old + new)


def test_a_text_rewritten_as_a_whole_is_marked_as_a_whole():
    assert marked('De school belt de ouders.', 'Ouders mailen het CLB voor elke vraag.') == (
        [('De school belt de ouders.', True)], [('Ouders mailen het CLB voor elke vraag.', True)])


def test_a_choice_shows_as_its_label_under_its_step(app, dummy_case):
    behoeften = dummy_case['traject']['behoeften']
    new = {**dummy_case, 'traject': {**dummy_case['traject'], 'behoeften': [
        {**behoeften[0], 'soort': 'opvoedingsbehoefte'}, *behoeften[1:]]}}
    with app.test_request_context():
        [section] = compare(CASE_FLOW, dummy_case, new)
    [row] = section['rows']
    assert (str(section['title']), row['label']) == ('Integratie', 'Behoefte 1 – Soort behoefte')
    assert row['old'] == [('Onderwijsbehoefte', True)] and row['new'] == [('Opvoedingsbehoefte', True)]
