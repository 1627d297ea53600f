"""Mutation run: put one small deliberate fault ("mutant") at a time into the privacy, access, validation and draft
code, run the tests that guard that code, and count the faults the tests notice. `make mutation` runs it.

Each mutant is written out below: the file, the exact text it replaces, the fault, and the tests to run, fastest
first (pytest stops at the first failure). The faults are made in a copy of the project in a temporary folder, so
an interrupted run never leaves a fault in the working tree. A mutant whose text is no longer in its file is
reported as stale: the product changed, and the list below needs the same change.

    python tools/mutation.py                    # every mutant, at most 10 minutes in all
    python tools/mutation.py --only access      # the mutants whose module or name contains 'access'
    python tools/mutation.py --list             # show the mutants, run nothing

Exit status: 0 when every mutant that ran was killed, 1 when one survived (or the unmutated tests fail), 2 when a
mutant is stale.
"""
import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]
# What the tests need from the project; .venv, node_modules and instance/ stay where they are.
COPIED = ('webapp', 'forms', 'templates_docs', 'locales', 'tests', 'setup.cfg', 'pyproject.toml')
IGNORED = shutil.ignore_patterns('__pycache__', 'node_modules', '*.pyc', 'browser')

ACCESS = ('tests/privacy/test_access.py', 'tests/wizard/test_access.py', 'tests/test_web.py')
AUDIENCE = ('tests/privacy/test_embedded_literal.py', 'tests/privacy/test_embedded_case.py')
CASEFORMAT = ('tests/caseformat/test_limits_characters.py', 'tests/caseformat/test_limits_consistency.py',
              'tests/caseformat/test_validate.py')
DRAFTS = ('tests/wizard/test_drafts_lifetime.py', 'tests/wizard/test_drafts.py')
ORGANISATIONS = ('tests/privacy/test_access.py::test_names_that_differ_only_in_capitals_or_spacing_are_one_organisation',
                 'tests/test_import_export.py')


@dataclass(frozen=True)
class Mutant:
    """One fault: replace `old` (found exactly once in `path`) by `new`, and expect `tests` to fail."""

    module: str  # how the score is grouped
    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]


M = Mutant
CONTEXT = 'webapp/documents/context.py'
VALIDATE = 'webapp/caseformat/validate.py'
DRAFTS_PY = 'webapp/wizard/drafts.py'
# Issue 19's items are named #1 to #13; the others are faults of the same kind.
MUTANTS = (
    # The access layer: who sees which case, and who may change one.
    M('access', '#6 a leersteuncentrum sees every case', 'webapp/access.py',
      "    if user.role == 'beheerder':", "    if user.role in ('beheerder', 'leersteuncentrum'):", ACCESS),
    M('access', '#7 a user without organisation sees everything', 'webapp/access.py',
      '    if user.organisation_id is None:\n        return false()',
      '    if user.organisation_id is None:\n        return true()', ACCESS),
    M('access', 'no check for a missing organisation', 'webapp/access.py',
      '    if user.organisation_id is None:\n        return false()\n', '', ACCESS),
    M('access', '#8 schools can no longer edit', 'webapp/access.py',
      "    return user.role in ('beheerder', 'clb', 'school')", "    return user.role in ('beheerder', 'clb')", ACCESS),
    M('access', 'a leersteuncentrum may edit', 'webapp/access.py',
      "    return user.role in ('beheerder', 'clb', 'school')",
      "    return user.role in ('beheerder', 'clb', 'school', 'leersteuncentrum')", ACCESS),
    M('access', 'a school is scoped by the CLB column', 'webapp/access.py',
      "'school': model.school_id", "'school': model.clb_id", ACCESS),
    M('access', 'a leersteuncentrum is scoped by the school column', 'webapp/access.py',
      "'leersteuncentrum': model.leersteuncentrum_id}", "'leersteuncentrum': model.school_id}", ACCESS),
    M('access', 'an unknown role sees everything', 'webapp/access.py',
      'return false() if column is None else', 'return true() if column is None else', ACCESS),
    M('access', 'everyone sees the other organisations', 'webapp/access.py',
      'column == user.organisation_id', 'column != user.organisation_id', ACCESS),
    M('access', 'the beheerder sees nothing', 'webapp/access.py',
      "    if user.role == 'beheerder':\n        return true()", "    if user.role == 'beheerder':\n        return false()",
      ACCESS),
    M('access', 'cases are not scoped', 'webapp/access.py',
      'return select(Case).where(_scope(Case, user))', 'return select(Case)', ACCESS),
    M('access', 'samenwerkingen are not scoped', 'webapp/access.py',
      'return select(Samenwerking).where(_scope(Samenwerking, user))', 'return select(Samenwerking)', ACCESS),

    # The audience filter: what a school or parents' document, and the case attached to its PDF, may hold.
    M('audience filter', '#1 the parents get the whole case', CONTEXT,
      "    if audience == 'clb' or doc.get('formaat')", "    if audience in ('clb', 'ouders') or doc.get('formaat')",
      AUDIENCE),
    M('audience filter', 'the school gets the whole case', CONTEXT,
      "    if audience == 'clb' or doc.get('formaat')", "    if audience in ('clb', 'school') or doc.get('formaat')",
      AUDIENCE),
    M('audience filter', '#2 the parents\' attachment filtered with the school flag', CONTEXT,
      "traject['diagnosen'] or [] if may_see_diagnose(d, audience)]",
      "traject['diagnosen'] or [] if may_see_diagnose(d, 'school')]", AUDIENCE),
    M('audience filter', '#2 the school\'s attachment filtered with the parents\' flag', CONTEXT,
      "traject['diagnosen'] or [] if may_see_diagnose(d, audience)]",
      "traject['diagnosen'] or [] if may_see_diagnose(d, 'ouders')]", AUDIENCE),
    M('audience filter', '#3 toestemmingen kept', CONTEXT,
      "for key in ('toestemmingen', 'extra'):", "for key in ('extra',):", AUDIENCE),
    M('audience filter', 'extra kept', CONTEXT, "for key in ('toestemmingen', 'extra'):", "for key in ('toestemmingen',):",
      AUDIENCE),
    M('audience filter', 'onderzoek kept', CONTEXT, "traject.pop('onderzoek', None)", "traject.get('onderzoek')",
      AUDIENCE),
    M('audience filter', '#5 hypothesen kept', CONTEXT, 'update(hypothesen=[], onderzoeksvragen=[])',
      'update(onderzoeksvragen=[])', AUDIENCE),
    M('audience filter', 'onderzoeksvragen kept', CONTEXT, 'update(hypothesen=[], onderzoeksvragen=[])',
      'update(hypothesen=[])', AUDIENCE),
    M('audience filter', 'notulen kept', CONTEXT, "overleg.pop('notulen', None)", "overleg.get('notulen')", AUDIENCE),
    M('audience filter', 'the stored case is changed while filtering', CONTEXT,
      'shared = copy.deepcopy(doc)', 'shared = copy.copy(doc)', AUDIENCE),
    M('audience filter', '#4 the leersteuncentrum sees every diagnosis', CONTEXT,
      "    if audience == 'clb':\n        return True", "    if audience in ('clb', 'leersteuncentrum'):\n        return True",
      AUDIENCE),
    M('audience filter', 'the parents read the school flag', CONTEXT,
      "flag = 'delen_met_ouders' if audience == 'ouders' else 'delen_met_school'", "flag = 'delen_met_school'",
      AUDIENCE),
    M('audience filter', 'a missing flag means shared', CONTEXT,
      'return diagnose.get(flag) is True', 'return diagnose.get(flag) is not False', AUDIENCE),
    M('audience filter', 'the context keeps every diagnosis', CONTEXT,
      "'diagnosen': [d for d in traject.get('diagnosen') or [] if may_see_diagnose(d, audience)],",
      "'diagnosen': traject.get('diagnosen') or [],", AUDIENCE),

    # The case format: characters and consistency rules.
    M('caseformat', '#9 vertical tab and form feed accepted', VALIDATE,
      "_CONTROL = re.compile('[\\x00-\\x08\\x0b\\x0c", "_CONTROL = re.compile('[\\x00-\\x08", CASEFORMAT),
    M('caseformat', '#9 only U+0000 and U+007F refused', VALIDATE,
      "_CONTROL = re.compile('[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f", "_CONTROL = re.compile('[\\x00\\x7f", CASEFORMAT),
    M('caseformat', '#9 U+001F accepted', VALIDATE, "\\x0e-\\x1f\\x7f\\ud800-\\udfff]')\n_UNSTORABLE",
      "\\x0e-\\x1e\\x7f\\ud800-\\udfff]')\n_UNSTORABLE", CASEFORMAT),
    M('caseformat', '#10 lone surrogates accepted outside extra', VALIDATE,
      "\\x0e-\\x1f\\x7f\\ud800-\\udfff]')\n_UNSTORABLE", "\\x0e-\\x1f\\x7f]')\n_UNSTORABLE", CASEFORMAT),
    M('caseformat', 'lone surrogates accepted in extra', VALIDATE,
      "_UNSTORABLE = re.compile('[\\x00\\ud800-\\udfff]')", "_UNSTORABLE = re.compile('[\\x00]')", CASEFORMAT),
    M('caseformat', 'NUL accepted in extra', VALIDATE,
      "_UNSTORABLE = re.compile('[\\x00\\ud800-\\udfff]')", "_UNSTORABLE = re.compile('[\\ud800-\\udfff]')",
      CASEFORMAT),
    M('caseformat', 'extra held to the strict rule', VALIDATE,
      'pattern = _UNSTORABLE if in_extra else _CONTROL', 'pattern = _CONTROL', CASEFORMAT),
    M('caseformat', '#11 an IAC plan beside an OV4 verslag', VALIDATE,
      "_dict(verslag).get('soort') in ('gc', 'ov4')", "_dict(verslag).get('soort') == 'gc'", CASEFORMAT),
    M('caseformat', '#11 an IAC verslag in secondary with ov4', VALIDATE,
      "vorm not in ('ov1', 'ov2', 'ov3'):", "vorm not in ('ov1', 'ov2', 'ov3', 'ov4'):", CASEFORMAT),
    M('caseformat', 'basisaanbod with an OV4 verslag', VALIDATE,
      "== 'basisaanbod' and soort in ('gc', 'ov4')", "== 'basisaanbod' and soort == 'gc'", CASEFORMAT),
    M('caseformat', 'no motivering_disproportioneel needed for OV4', VALIDATE,
      "if soort in ('iac', 'ov4') and verslag.get('motivering_disproportioneel')",
      "if soort == 'iac' and verslag.get('motivering_disproportioneel')", CASEFORMAT),
    M('caseformat', 'an OV4 verslag in the basisonderwijs', VALIDATE,
      "    if soort == 'ov4' and basis:\n", "    if False:\n", CASEFORMAT),
    M('caseformat', 'leersteun without a verslag', VALIDATE,
      "if doc.get('leersteun') is not None and verslag is None:", "if False:", CASEFORMAT),
    M('caseformat', 'consents by anyone', VALIDATE,
      'if isinstance(door, str) and door and door not in names:', 'if False:', CASEFORMAT),

    # Drafts: what is kept, for whom and for how long.
    M('drafts', '#12 a stashed draft never expires', DRAFTS_PY,
      '                                               Draft.updated_at >= utcnow() - TOKEN_LIFETIME,\n', '', DRAFTS),
    M('drafts', '#12 expired drafts are never removed', DRAFTS_PY,
      '    session.execute(delete(Draft).where(Draft.user_id.is_(None), Draft.updated_at < utcnow() - TOKEN_LIFETIME))\n',
      '', DRAFTS),
    M('drafts', '#12 a lifetime of two years', DRAFTS_PY, 'TOKEN_LIFETIME = timedelta(days=7)',
      'TOKEN_LIFETIME = timedelta(days=700)', DRAFTS),
    M('drafts', '#12 the CSRF token stored in a draft', DRAFTS_PY, "_SKIPPED = frozenset({'csrf_token', 'action'})",
      "_SKIPPED = frozenset({'action'})", DRAFTS),
    M('drafts', 'the button stored in a draft', DRAFTS_PY, "_SKIPPED = frozenset({'csrf_token', 'action'})",
      "_SKIPPED = frozenset({'csrf_token'})", DRAFTS),
    M('drafts', 'users\' drafts expire too', DRAFTS_PY,
      'delete(Draft).where(Draft.user_id.is_(None), Draft.updated_at < utcnow() - TOKEN_LIFETIME)',
      'delete(Draft).where(Draft.updated_at < utcnow() - TOKEN_LIFETIME)', DRAFTS),
    M('drafts', 'a stashed draft claimed on another step', DRAFTS_PY,
      'Draft.user_id.is_(None), Draft.step == step,\n', 'Draft.user_id.is_(None),\n', DRAFTS),
    M('drafts', 'a stashed draft claimed on another case', DRAFTS_PY,
      "                                               *_target(case_id, samenwerking_id)))\n    if draft is None:",
      '                                               ))\n    if draft is None:', DRAFTS),
    M('drafts', 'another user\'s draft is shown', DRAFTS_PY,
      'select(Draft).where(Draft.user_id == user_id, Draft.step == step,', 'select(Draft).where(Draft.step == step,',
      DRAFTS),
    M('drafts', 'discarding throws away other users\' drafts', DRAFTS_PY,
      'delete(Draft).where(Draft.user_id == user_id, Draft.step == step,', 'delete(Draft).where(Draft.step == step,',
      DRAFTS),

    # Organisations: one row per organisation, however its name is typed (a second row splits the scope).
    M('organisations', '#13 names differing in capitals or spacing are two organisations', 'webapp/services/cases.py',
      "'naam:' + ' '.join(org['naam'].lower().split())", "'naam:' + org['naam']", ORGANISATIONS),
    M('organisations', '#13 names differing in spacing are two organisations', 'webapp/services/cases.py',
      "'naam:' + ' '.join(org['naam'].lower().split())", "'naam:' + org['naam'].lower()", ORGANISATIONS),
)


def copy_project(target: Path) -> None:
    """Copy what the tests need into `target`."""
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=IGNORED)
        else:
            shutil.copy2(source, target / name)


def run_tests(tree: Path, tests: tuple[str, ...], timeout: float) -> tuple[str, str]:
    """Run `tests` in `tree`; return 'passed', 'failed', 'timeout' or 'error' (pytest could not run them), and the
    end of pytest's output."""
    env = {**os.environ, 'PYTHONPATH': str(tree), 'PYTHONDONTWRITEBYTECODE': '1'}
    # The tests look for the shared examples beside the project; the copy lives elsewhere.
    examples = ROOT.parent / 'shared' / 'examples'
    if examples.is_dir():
        env.setdefault('TRAJECT_EXAMPLES', str(examples))
    command = [sys.executable, '-m', 'pytest', '-x', '-q', '-p', 'no:cacheprovider', '--no-header', *tests]
    # A process group of its own, so that a timeout stops pytest and anything it started.
    process = subprocess.Popen(command, cwd=tree, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, start_new_session=True)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        return 'timeout', output.decode('utf-8', 'replace')[-3000:]
    return {0: 'passed', 1: 'failed'}.get(process.returncode, 'error'), output.decode('utf-8', 'replace')[-3000:]


def run(mutants: list[Mutant], budget: float, per_mutant: float, baseline: bool) -> int:
    """Run every mutant within `budget` seconds, print a line per mutant and a score per module; return the status."""
    start = time.monotonic()
    stale = [m for m in mutants if (ROOT / m.path).read_text(encoding='utf-8').count(m.old) != 1]
    for mutant in stale:
        print(f'STALE     {mutant.module}: {mutant.name} (its text is not exactly once in {mutant.path})')
    mutants = [m for m in mutants if m not in stale]
    results: dict[Mutant, str] = {}
    with tempfile.TemporaryDirectory(prefix='traject-mutation-') as temp:
        tree = Path(temp)
        copy_project(tree)
        if baseline:
            # A test that fails without any fault would make every mutant look killed.
            tests = tuple(dict.fromkeys(t for m in mutants for t in m.tests))
            outcome, output = run_tests(tree, tests, budget)
            print(f'baseline  {outcome} ({time.monotonic() - start:.0f} s)', flush=True)
            if outcome != 'passed':
                print(output)
                print('The tests fail without any fault: fix them first.')
                return 1
        for mutant in mutants:
            left = budget - (time.monotonic() - start)
            if left <= 0:
                break
            target = tree / mutant.path
            original = target.read_text(encoding='utf-8')
            target.write_text(original.replace(mutant.old, mutant.new), encoding='utf-8')
            began = time.monotonic()
            try:
                outcome, output = run_tests(tree, mutant.tests, min(per_mutant, left))
            finally:
                target.write_text(original, encoding='utf-8')
            results[mutant] = {'failed': 'killed', 'passed': 'SURVIVED'}.get(outcome, outcome)
            print(f'{results[mutant]:<9} {mutant.module}: {mutant.name} ({time.monotonic() - began:.0f} s)', flush=True)
            if outcome == 'error':
                print(output)
    print_scores(mutants, results)
    print(f'{time.monotonic() - start:.0f} s in all')
    if stale:
        return 2
    return 1 if any(outcome in ('SURVIVED', 'error') for outcome in results.values()) else 0


def print_scores(mutants: list[Mutant], results: dict[Mutant, str]) -> None:
    """Print killed/run per module; a timeout counts as killed, a mutant the budget left out as not run."""
    print('\nscore per module (killed / run; not run: left out by the time budget)')
    for module in dict.fromkeys(m.module for m in mutants):
        ran = [results[m] for m in mutants if m.module == module and m in results]
        killed = sum(outcome in ('killed', 'timeout') for outcome in ran)
        not_run = sum(m.module == module and m not in results for m in mutants)
        score = f'{100 * killed / len(ran):.0f} %' if ran else '-'
        extra = f', {not_run} not run' if not_run else ''
        errors = ran.count('error')
        extra += f', {errors} could not run' if errors else ''
        print(f'  {module:<16} {killed}/{len(ran)} {score}{extra}')


def main() -> int:
    """Parse the arguments and run the mutants."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--only', help='run only the mutants whose module or name contains this text')
    parser.add_argument('--budget', type=float, default=600, help='seconds for the whole run (default 600)')
    parser.add_argument('--per-mutant', type=float, default=180, help='seconds for one mutant (default 180)')
    parser.add_argument('--no-baseline', action='store_true', help='skip the run of the tests without any fault')
    parser.add_argument('--list', action='store_true', help='list the mutants and run nothing')
    args = parser.parse_args()
    mutants = [m for m in MUTANTS if not args.only or args.only in m.module or args.only in m.name]
    if args.list:
        for mutant in mutants:
            print(f'{mutant.module}: {mutant.name}  [{mutant.path}]')
        return 0
    return run(mutants, args.budget, args.per_mutant, baseline=not args.no_baseline)


if __name__ == '__main__':
    sys.exit(main())
