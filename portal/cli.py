"""Commands: demo data, staff accounts, maintenance."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from portal.accounts.models import User
from portal.db import db
from portal.domain import DomainError
from portal.i18n import STAFF_LANGUAGES
from portal.roles import Role


def register(app: Flask) -> None:
    """Every command of every area, in one place."""
    from portal.appointments.reminders import reminders_cli
    from portal.bench import bench

    app.cli.add_command(demo)
    app.cli.add_command(staff)
    app.cli.add_command(bench)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(messages_cli)
    app.cli.add_command(ontzorgen_cli)
    register_privacy(app)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


def register_privacy(app: Flask) -> None:
    """The audit log's check and the retention run (issue 13, privacy)."""
    from portal.audit.commands import audit_cli
    from portal.retention import retention_cli

    app.cli.add_command(audit_cli)
    app.cli.add_command(retention_cli)


def _print_sign_ins() -> None:
    from portal.demo import DEMO_PASSWORD, DEMO_SIGN_INS

    click.echo(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
    for username, what in DEMO_SIGN_INS:
        click.echo(f"  {username:<8} {what}")


@click.command("demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) when the database holds data.")
@click.option("--reset", is_flag=True,
              help="Empty the database and load the demo again; only when it holds the demo alone.")
@click.option("--force", is_flag=True, help="With --reset: empty the database whatever it holds.")
def demo(if_empty: bool, reset: bool, force: bool) -> None:
    """Load the fictitious demo data into an empty database (or, with --reset, load it afresh)."""
    from portal.demo import DemoRefused, database_is_empty, demo_load, demo_reset, stale_files_remove

    if force and not reset:
        raise click.UsageError("--force only goes with --reset.")
    if reset and if_empty:
        raise click.UsageError("--reset and --if-empty do not go together.")
    if reset:
        try:
            ctx = demo_reset(force=force)
        except DemoRefused as error:
            raise click.ClickException(f"Nothing deleted: {error}.") from None
        db.session.commit()
        stale_files_remove(ctx.stale_files)
        click.echo(f"Database emptied; demo loaded again: {len(ctx.residents)} residents, "
                   f"{len(ctx.staff)} staff accounts.")
        _print_sign_ins()
        return
    if not database_is_empty():
        has_demo = db.session.scalar(select(User.id).where(User.username == "amina")) is not None
        if if_empty:
            click.echo("The database already holds data: demo data not loaded again.")
            if has_demo:
                _print_sign_ins()
            return
        raise click.ClickException("The database already holds data; the demo is only loaded into an empty one "
                                   "(flask demo --reset loads it afresh when it holds the demo alone).")
    try:
        ctx = demo_load()
    except DemoRefused as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Demo loaded: {len(ctx.residents)} residents, {len(ctx.staff)} staff accounts.")
    _print_sign_ins()


staff = AppGroup("staff", help="Staff accounts.")


@staff.command("create")
@click.argument("username")
@click.option("--name", required=True, help="Full name as colleagues and residents see it.")
@click.option("--role", type=click.Choice([r.value for r in Role if r != Role.RESIDENT]), required=True)
@click.option("--language", type=click.Choice(STAFF_LANGUAGES), default="nl", show_default=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="Prompted for when left out.")
def staff_create_command(username: str, name: str, role: str, language: str, password: str) -> None:
    """Create a staff account with a password."""
    from portal.accounts.services import staff_create

    try:
        user = staff_create(username=username, name=name, role=Role(role), language=language,
                            password=password)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(f"Created {user.role} account {user.username!r}.")


messages_cli = AppGroup("messages", help="Messages: notification e-mails.")


@messages_cli.command("notify")
@click.option("--dry-run", is_flag=True, help="Only say who would get an e-mail.")
def messages_notify_command(dry_run: bool) -> None:
    """Send due notification e-mails: replies to residents (at most one an hour), digests to contact persons."""
    from portal.db import utcnow
    from portal.messages.notify import notify_run

    result = notify_run(now=utcnow(), dry_run=dry_run)
    click.echo(f"residents: {result.residents} sent, staff: {result.staff} sent, failed: {result.failed}")


ontzorgen_cli = AppGroup("ontzorgen", help="Ontzorgen: payment runs and bank statements.")


@ontzorgen_cli.command("bench-import")
@click.option("--rows", default=5000, show_default=True, help="Rows in the generated payment run.")
def ontzorgen_bench_import(rows: int) -> None:
    """Time the preview and booking of a generated payment run (rolled back afterwards)."""
    from portal.ontzorgen.bench import import_benchmark

    result = import_benchmark(rows=rows)
    click.echo(f"{result['rows']} rows in {result['seconds']:.2f} s ({result['rows_per_second']:.0f} rows/s; "
               f"preview {result['preview_seconds']:.2f} s, booking {result['confirm_seconds']:.2f} s), "
               f"{result['statements']} SQL statements, {result['database']}")


@click.command("backup")
@with_appcontext
@click.option("--to", "to", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to write the backup into (default: instance/backups).")
def backup_command(to: Path | None) -> None:
    """Back up the database and the uploads folder together, into one timestamped folder with a manifest."""
    from portal.backup import BackupError, backup_create
    from portal.config import INSTANCE

    try:
        made = backup_create(to=to or INSTANCE / "backups")
    except BackupError as error:
        raise click.ClickException(f"No backup made: {error}.") from None
    click.echo(f"Backup written to {made}")


@click.command("restore")
@with_appcontext
@click.argument("backup", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that holds data; move a full uploads folder aside.")
def restore_command(backup: Path, force: bool) -> None:
    """Restore a backup (database and uploads) into an empty database; checks every hash first."""
    from portal.backup import BackupError, backup_restore

    try:
        restored = backup_restore(source=backup, force=force)
    except BackupError as error:
        raise click.ClickException(f"Restore stopped: {error}.") from None
    click.echo(f"Restored the {restored.database} database (schema revision {restored.revision}) "
               f"and {restored.files} uploaded files.")
    if restored.moved_aside:
        click.echo(f"The uploads folder that was there is kept in {restored.moved_aside}.")
    click.echo("Run `flask --app wsgi db upgrade` if this release has newer migrations.")
