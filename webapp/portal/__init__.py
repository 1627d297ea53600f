"""The parents' link: a CLB worker shares a final case's letter with one parent, who reads it without an account.

`clb.py` holds the CLB worker's side (make, revoke, read replies, the cover letter), `parents.py` the pages the
parent opens; both call services/links.py, and the access policy (webapp/access.py) is their only gate.
"""
from flask import Flask


def init_app(app: Flask) -> None:
    """Register both blueprints and keep tokens out of the access logs."""
    from webapp.portal import clb, cli, logs, parents
    app.cli.add_command(cli.share_group)
    app.register_blueprint(clb.bp)
    app.register_blueprint(parents.bp)
    logs.install()
