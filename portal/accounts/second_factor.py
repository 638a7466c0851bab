"""Routes of an account's own second factor: turn it on (optional for residents), off (residents, with a
code), and recovery codes (shown once). The sign-in steps themselves are in views.py."""

from __future__ import annotations

from flask import Response, current_app, request, session, url_for
from flask_login import current_user

from portal.accounts import twofactor
from portal.accounts.forms import SecondStepForm
from portal.accounts.models import User
from portal.accounts.views import (
    RECOVERY,
    _account_context,
    _code_blocked,
    _code_refused,
    _enrol_context,
    _enrolment_ready,
    bp,
    home_url,
)
from portal.domain import DomainError
from portal.extensions import limiter
from portal.registry import record_account_event
from portal.roles import Role
from portal.web import access
from portal.web.htmx import render, see_other


@bp.route("/account/recovery-codes")
@access.signed_in
def recovery_codes() -> Response:
    """The new recovery codes, shown once (they travel in the session only until this page)."""
    codes = session.pop(RECOVERY, None)
    response = render("accounts/recovery_codes.html", "accounts/_recovery_codes.html",
                      codes=codes if isinstance(codes, list) else None,
                      home=home_url(current_user))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/account/recovery-codes", methods=["POST"])
@access.signed_in
def recovery_codes_new() -> Response:
    """New recovery codes for an account with a second factor; the old ones stop working."""
    if not current_user.has_second_factor:
        return see_other("accounts.account")
    session[RECOVERY] = twofactor.recovery_codes_issue(user=current_user)
    record_account_event(action="totp.recovery_codes", ok=True, detail=f"user={current_user.id}")
    return see_other("accounts.recovery_codes")


@bp.route("/account/code", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_ACTIVATE"], methods=["POST"])
@access.signed_in
def account_code() -> Response:
    """Turn on the extra code at sign-in (optional for residents)."""
    user: User = current_user
    if user.has_second_factor:
        return see_other("accounts.account")
    if not _enrolment_ready(user):
        return see_other("accounts.account_code")
    form = SecondStepForm()
    if form.validate_on_submit():
        _code_blocked(user, "totp.enrol.blocked")
        try:
            codes = twofactor.totp_enrol(user=user, code=form.code.data)
        except DomainError:
            _code_refused(user, form, "totp.enrol.failed")
        else:
            record_account_event(action="totp.enrol", ok=True, detail=f"user={user.id}")
            session[RECOVERY] = codes
            return see_other("accounts.recovery_codes")
    status = 422 if request.method == "POST" else 200
    return render("accounts/enrol.html", "accounts/_enrol_form.html", form=form, status=status,
                  action=url_for("accounts.account_code"), **_enrol_context(user))


@bp.route("/account/code/off", methods=["POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_ACTIVATE"], methods=["POST"])
@access.roles(Role.RESIDENT)
def account_code_off() -> Response:
    """A resident turns the extra code off again, with a code."""
    form = SecondStepForm()
    if form.validate():
        _code_blocked(current_user, "totp.off.blocked")
        try:
            twofactor.totp_turn_off(user=current_user, code=form.code.data)
        except DomainError:
            _code_refused(current_user, form, "totp.off.failed")
        else:
            record_account_event(action="totp.off", ok=True, detail=f"user={current_user.id}")
            return see_other("accounts.account", saved="code")
    return render("accounts/account.html", "accounts/_account.html", status=422,
                  **_account_context(code_off_form=form))
