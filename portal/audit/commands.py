"""`flask --app wsgi audit verify`: walk the audit log's hash chain and report where it breaks."""

from __future__ import annotations

import click
from flask.cli import AppGroup

audit_cli = AppGroup("audit", help="Audit log: check that it was not changed.")


@audit_cli.command("verify")
def audit_verify_command() -> None:
    """Check the hash chain of the audit log; exits with status 1 when a line was changed, deleted or inserted."""
    from portal.audit.queries import audit_chain_verify

    count, breaks = audit_chain_verify()
    if not breaks:
        click.echo(f"audit log intact: {count} lines, hash chain unbroken")
        return
    for item in breaks[:50]:
        where = f"line {item.line_id}" if item.line_id is not None else "end of the log"
        click.echo(f"BROKEN at {where}: {item.problem}", err=True)
    raise click.ClickException(f"audit log tampered with: {len(breaks)} problem(s) in {count} lines")
