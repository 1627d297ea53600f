"""The access policy: who may do what with which record, and which audience's view they get. Deny by default.

Three tables decide everything: which organisation each role belongs to (and so which records it can see), which
roles may take each action, and which action each route is. Pages, import, export, documents, previews, drafts and
the command line ask this module and nothing else; a route missing from ROUTES is refused for everyone.
"""
from typing import Literal

from sqlalchemy import Select, and_, exists, false, select

from webapp.models import Case, CaseGrant, Samenwerking, User


CLB_ROLES = ('clb-medewerker', 'clb-arts', 'clb-directeur')
SCHOOL_ROLES = ('zorgcoordinator',)
LSC_ROLES = ('leerondersteuner',)
CASE_ROLES = CLB_ROLES + SCHOOL_ROLES + LSC_ROLES
# A beheerder manages the accounts of one organisation and sees no case data by that role alone.
ROLES = CASE_ROLES + ('beheerder',)

# The kind of organisation each role belongs to (None: any kind).
ORGANISATION_KIND: dict[str, str | None] = {
    **{role: 'clb' for role in CLB_ROLES}, 'zorgcoordinator': 'school', 'leerondersteuner': 'leersteuncentrum',
    'beheerder': None,
}

Audience = Literal['clb', 'school', 'leersteuncentrum', 'ouders']
# The view of a case each role gets (documents, export, pages): DOMAIN.md §6.
AUDIENCE: dict[str, Audience] = {**{role: 'clb' for role in CLB_ROLES}, 'zorgcoordinator': 'school',
                                 'leerondersteuner': 'leersteuncentrum'}

# Which roles may take each action. An action missing here is refused for everyone.
POLICY: dict[str, tuple[str, ...]] = {
    'account': ROLES,                                   # own password, second factor, language, logout
    'case.list': CASE_ROLES,
    'case.view': CASE_ROLES,                            # the case page: leerondersteuner only once granted
    'case.create': CLB_ROLES,
    'case.edit': CLB_ROLES + SCHOOL_ROLES,              # wizard steps; each step narrows it (wizard/steps.py)
    'case.preview': CLB_ROLES + SCHOOL_ROLES,
    'case.document': CASE_ROLES,                        # narrowed by the document's audience (may_read_document)
    'case.export': CASE_ROLES,                          # each role gets its audience's view
    'case.import': CLB_ROLES,
    'case.finalize': CLB_ROLES,
    'case.compare': CLB_ROLES,                          # the diff of two versions shows CLB-internal parts too
    'case.grant': CLB_ROLES + SCHOOL_ROLES,             # let the leersteuncentrum see one case
    'case.audit': CLB_ROLES,
    'samenwerking.view': CASE_ROLES,
    'samenwerking.edit': CASE_ROLES,                    # every party fills in its own agreement
    'samenwerking.finalize': CASE_ROLES,                # ... and any party may record the version all agreed on
    'users.manage': ('beheerder',),
    'case.bulk': CLB_ROLES + SCHOOL_ROLES,              # ZIPs of the documents of the cases one sees (webapp/jobs)
    'case.gdpr': CLB_ROLES,                             # hand a pupil's whole dossier over as one ZIP
    'case.delete': CLB_ROLES,                           # gone at once, erased for good 30 days later
    'case.share': CLB_ROLES,                            # parents' links and their replies (webapp/portal)
}

PUBLIC = 'public'
# Every route of the app and the action it is. The route test walks the URL map against this table.
ROUTES: dict[str, str] = {
    'static': PUBLIC,
    'auth.login': PUBLIC,
    'auth.set_language': PUBLIC,
    'auth.logout': 'account',
    'auth.keep_alive': 'account',
    'auth.account': 'account',
    # The second factor's pages are reached half logged in (password right, code not yet): they check that login
    # themselves (auth._pending_login) and open nothing else.
    'auth.second_factor': PUBLIC,
    'auth.enrol_totp': PUBLIC,
    'admin.list_users': 'users.manage',
    'admin.manage_user': 'users.manage',
    'cases.list_cases': 'case.list',
    'cases.show_case': 'case.view',
    'cases.download_document': 'case.document',
    'cases.export_case': 'case.export',
    'cases.import_file': 'case.import',
    'cases.grant_access': 'case.grant',
    'cases.revoke_access': 'case.grant',
    'cases.show_samenwerking': 'samenwerking.view',
    'cases.download_samenwerking': 'samenwerking.view',
    'versions.download_case_version': 'case.document',  # narrowed by the document's audience, as a live one
    'versions.download_samenwerking_version': 'samenwerking.view',
    'versions.compare_case_versions': 'case.compare',
    'versions.compare_samenwerking_versions': 'samenwerking.view',
    'versions.finalize_samenwerking': 'samenwerking.finalize',
    'versions.reopen_samenwerking': 'samenwerking.finalize',
    'wizard.new_case': 'case.create',                   # step 1 of a case not stored yet; its first save creates it
    'wizard.resume_case': 'case.view',
    'wizard.edit_step': 'case.view',                    # reading a step; saving asks 'case.edit' (CaseRecord)
    'wizard.preview_document': 'case.preview',
    'wizard.finalize_case': 'case.finalize',
    'wizard.reopen_case': 'case.finalize',
    'samenwerking.list_samenwerkingen': 'samenwerking.view',
    'samenwerking.new_samenwerking': 'samenwerking.edit',
    'samenwerking.edit_step': 'samenwerking.view',
    'samenwerking.preview_samenwerking': 'samenwerking.view',
    'jobs.start_bulk': 'case.bulk',
    'jobs.show_bulk': 'case.bulk',
    'jobs.bulk_status': 'case.bulk',
    'jobs.cancel_bulk': 'case.bulk',
    'jobs.download_bulk': 'case.bulk',
    'jobs.healthz': PUBLIC,                             # for the load balancer: no case data, no names
    'gdpr.export_case': 'case.gdpr',
    'gdpr.delete_case': 'case.delete',
    'links.create_link': 'case.share',
    'links.show_new_link': 'case.share',
    'links.cover_letter': 'case.share',
    'links.revoke_link': 'case.share',
    'links.mark_read': 'case.share',
    # A parent opens these without an account: the token in the path is the key, checked by every page itself
    # (services/links.resolve); a dead or made-up token gets one calm page, and guessing is throttled.
    'parents.show_letter': PUBLIC,
    'parents.download_letter': PUBLIC,
    'parents.download_verslag': PUBLIC,
    'parents.reply': PUBLIC,
}


def permits(user: User | None, action: str) -> bool:
    """Return whether `user`'s role may take `action` at all (the records come from the scopes below)."""
    if user is None or not user.active:
        return False
    return user.role in POLICY.get(action, ())


def audience(user: User) -> Audience:
    """Return the view of a case `user` gets."""
    return AUDIENCE[user.role]


def organisation_kind(user: User) -> str | None:
    """Return the kind of organisation `user`'s role works for ('clb', 'school', 'leersteuncentrum')."""
    return ORGANISATION_KIND.get(user.role)


def may_read_document(user: User, document_audience: str) -> bool:
    """Return whether `user` may download a document written for `document_audience`.

    The CLB reads every document; the school and the leersteuncentrum read the documents written for the school
    (never the parents' letter, which may hold what only the parents may read).
    """
    if not permits(user, 'case.document'):
        return False
    return audience(user) == 'clb' or document_audience == 'school'


def _scope(model, user: User):
    # Each role sees the records its own organisation is a party to; a leerondersteuner only once granted.
    if user.organisation_id is None or not permits(user, 'case.view'):
        return false()
    kind = organisation_kind(user)
    column = {'clb': model.clb_id, 'school': model.school_id, 'leersteuncentrum': model.leersteuncentrum_id}[kind]
    if model is Case:
        # A deleted case is gone at once for everyone, whatever its organisation (erased for good later).
        column_scope = and_(column == user.organisation_id, Case.deleted_at.is_(None))
        if kind != 'leersteuncentrum':
            return column_scope
        granted = exists().where(CaseGrant.case_id == Case.id, CaseGrant.organisation_id == user.organisation_id,
                                 CaseGrant.revoked_at.is_(None))
        return and_(column_scope, granted)
    return column == user.organisation_id


def visible_cases(user: User) -> Select:
    """Return a SELECT of the cases `user` may see; callers add filters and ordering."""
    return select(Case).where(_scope(Case, user))


def operator_cases() -> Select:
    """Return a SELECT of the cases the command line (the installation's operator) works on: all but the deleted."""
    return select(Case).where(Case.deleted_at.is_(None))


def visible_samenwerkingen(user: User) -> Select:
    """Return a SELECT of the samenwerkingen `user` may see."""
    return select(Samenwerking).where(_scope(Samenwerking, user))


def can_edit_case(user: User) -> bool:
    """Return whether `user` may change case data (the CLB owns the case; the school fills in its parts)."""
    return permits(user, 'case.edit')
