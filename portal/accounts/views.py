"""Sign-in, sign-out, activation with a code, language choice and the account page."""

from __future__ import annotations

import time

from flask import Blueprint, Response, abort, current_app, g, redirect, request, session, url_for
from flask_babel import refresh
from flask_login import current_user, login_user, logout_user

from portal.accounts import services, throttle, twofactor
from portal.accounts.export import account_export, export_archive
from portal.accounts.forms import (
    ActivateForm,
    CodeForm,
    EmailForm,
    LanguageForm,
    LoginForm,
    PasswordChangeForm,
    PreferencesForm,
    SecondStepForm,
)
from portal.accounts.models import User
from portal.accounts.queries import user_get, user_id_by_username
from portal.accounts.sessions import idle_seconds, session_end, session_start
from portal.db import utcnow
from portal.domain import DomainError
from portal.extensions import limiter
from portal.i18n import _, languages_for
from portal.registry import account_context, add_export_section, record_account_event
from portal.roles import Role
from portal.web import access
from portal.web.forms import form_error, options
from portal.web.htmx import render, see_other
from portal.web.transaction import discard_writes
from portal.web.urls import safe_next

bp = Blueprint("accounts", __name__)
bp.record_once(lambda state: add_export_section(state.app, "account", account_export))


HOME_FOR_ROLE = {
    Role.RESIDENT: "home.index",
    Role.CASEWORKER: "caseload.index",
    Role.COUNSELLOR: "caseload.index",
    Role.LEAD: "reports.index",
    Role.ADMIN: "admin.index",
}


def home_url(user: User) -> str:
    return url_for(HOME_FOR_ROLE[Role(user.role)])


def _sign_in(user: User) -> None:
    """Rotate the session: nothing from before sign-in survives except the chosen language."""
    if hasattr(user, "_get_current_object"):  # never store the current_user proxy as the user itself
        user = user._get_current_object()
    session_end()
    login_user(user)
    session.permanent = True
    session_start()


def _signed_in_response(user: User, next_url: str | None) -> Response:
    """Where a sign-in that passed every step lands; a second step (a code) would go before this."""
    _sign_in(user)
    record_account_event(action="login", ok=True)
    return redirect(next_url or home_url(user), code=303)


@bp.route("/login", methods=["GET", "POST"])
@access.public
def login() -> Response:
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    form = LoginForm()
    failed = False
    if form.validate_on_submit():
        username = form.username.data
        if throttle.login_address_blocked():
            record_account_event(action="login.blocked", ok=False, detail=_who(username))
            abort(429)
        locked = throttle.login_name_locked(username) and throttle.login_address_failing()
        # The password is checked even when locked: the same work and the same answer either way.
        user = services.user_authenticate(username=username, password=form.password.data)
        if user is not None and not locked:
            throttle.login_succeeded(username)
            return _after_password(user, safe_next(request.args.get("next")))
        throttle.login_failed(username)
        record_account_event(action="login.locked" if locked else "login.failed", ok=False, detail=_who(username))
        failed = True
    status = 422 if request.method == "POST" else 200
    return render("accounts/login.html", "accounts/_login_form.html", form=form, failed=failed,
                  status=status)


# Between the password and the second step the session holds only this, never a signed-in user:
# every route but the code step itself still sends to sign-in.
PENDING = "second_step"
PENDING_SECONDS = 300


def _after_password(user: User, next_url: str | None) -> Response:
    """The password was right: sign in, or first ask the code (or, for staff without one, enrol)."""
    if not (user.has_second_factor or user.is_staff):
        return _signed_in_response(user, next_url)
    session_end()
    session[PENDING] = {"user": user.id, "version": user.session_version, "at": int(time.time()),
                        "next": next_url}
    step = "accounts.login_code" if user.has_second_factor else "accounts.login_enrol"
    return redirect(url_for(step), code=303)


def _pending_user() -> User | None:
    """The account whose password was just given, while that is recent and nothing ended its sessions."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or not isinstance(pending.get("at"), int):
        return None
    if time.time() - pending["at"] > PENDING_SECONDS:
        return None
    user = user_get(pending.get("user"))
    if user is None or not user.active or user.session_version != pending.get("version"):
        return None
    return user


def _code_refused(user: User, form: SecondStepForm, action: str) -> None:
    """Count a wrong code and tell the form; the audit line is kept, other writes are not."""
    discard_writes()
    throttle.code_failed(user.id)
    record_account_event(action=action, ok=False, detail=f"user={user.id}")
    form.code.errors.append(_("Deze code klopt niet."))


def _code_blocked(user: User, action: str) -> None:
    """Too many wrong codes for this account or from this address: back to the password (429)."""
    if throttle.code_locked(user.id) or throttle.login_address_blocked():
        record_account_event(action=action, ok=False, detail=f"user={user.id}")
        session.pop(PENDING, None)
        abort(429)


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_ACTIVATE"], methods=["POST"])
@access.public
def login_code() -> Response:
    """The second step of signing in: the code from the app, or a recovery code."""
    user = _pending_user()
    if user is not None and not user.has_second_factor:
        return redirect(url_for("accounts.login_enrol"), code=303)  # nothing to skip: enrol first
    if user is None:
        session.pop(PENDING, None)
        return redirect(url_for("accounts.login"), code=303)
    form = SecondStepForm()
    if form.validate_on_submit():
        _code_blocked(user, "login.code.blocked")
        if twofactor.second_factor_check(user=user, code=form.code.data):
            throttle.code_succeeded(user.id)
            next_url = session[PENDING].get("next")
            return _signed_in_response(user, safe_next(next_url) if next_url else None)
        _code_refused(user, form, "login.code.failed")
    status = 422 if request.method == "POST" else 200
    return render("accounts/login_code.html", "accounts/_login_code_form.html", form=form, status=status)


@bp.route("/login/enrol", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_ACTIVATE"], methods=["POST"])
@access.public
def login_enrol() -> Response:
    """Staff without a second factor set one up before their first session."""
    user = _pending_user()
    if user is not None and user.has_second_factor:
        return redirect(url_for("accounts.login_code"), code=303)  # a new secret would skip the code
    if user is None or not user.is_staff:
        session.pop(PENDING, None)
        return redirect(url_for("accounts.login"), code=303)
    if not _enrolment_ready(user):
        return redirect(url_for("accounts.login_enrol"), code=303)
    form = SecondStepForm()
    if form.validate_on_submit():
        _code_blocked(user, "totp.enrol.blocked")
        try:
            codes = twofactor.totp_enrol(user=user, code=form.code.data)
        except DomainError:
            _code_refused(user, form, "totp.enrol.failed")
        else:
            throttle.code_succeeded(user.id)
            record_account_event(action="totp.enrol", ok=True, detail=f"user={user.id}")
            _signed_in_response(user, None)
            session[RECOVERY] = codes
            return redirect(url_for("accounts.recovery_codes"), code=303)
    status = 422 if request.method == "POST" else 200
    return render("accounts/enrol.html", "accounts/_enrol_form.html", form=form, status=status,
                  action=url_for("accounts.login_enrol"), **_enrol_context(user))


def _enrolment_ready(user: User) -> bool:
    """A page load makes the new secret (kept until confirmed); a post confirms the secret that page showed."""
    if request.method == "GET":
        twofactor.totp_enrolment_start(user=user)
        return True
    return user.totp_secret is not None


def _enrol_context(user: User) -> dict:
    return {"qr": twofactor.totp_qr_svg(user, title=_("QR-code voor je app")),
            "secret": " ".join(user.totp_secret[i : i + 4] for i in range(0, len(user.totp_secret), 4))}


RECOVERY = "recovery_codes"


def _who(username: str) -> str:
    """The account a sign-in attempt was for, by id; a typed name is not logged (it may be a password)."""
    user_id = user_id_by_username(username)
    return f"user={user_id}" if user_id is not None else "user=unknown"


@bp.route("/logout", methods=["POST"])
@access.public
def logout() -> Response:
    if current_user.is_authenticated:
        services.user_sign_out(user=current_user)  # every copy of this session cookie ends with it
    logout_user()
    session_end()
    response = redirect(url_for("accounts.login"), code=303)
    response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


@bp.app_context_processor
def _session_helpers() -> dict:
    return {"session_idle_seconds": lambda: idle_seconds(current_user) if current_user.is_authenticated else 0}


@bp.route("/session/ping", methods=["POST"])
@access.signed_in
def session_ping() -> Response:
    """The idle warning's "stay signed in": being here counts as activity (sessions.session_alive)."""
    response = Response(status=204)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/language", methods=["POST"])
@access.public
def language() -> Response:
    form = LanguageForm()
    form.language.choices = options(languages_for(current_user).items())
    back = safe_next(request.form.get("next")) or safe_next(request.referrer) or url_for("accounts.login")
    if not form.validate():
        return render("accounts/language_error.html", status=422, form=form, back=back)
    session["lang"] = form.language.data
    if current_user.is_authenticated:
        services.user_set_language(user=current_user, language=form.language.data)
    return redirect(back, code=303)


@bp.route("/activate", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_ACTIVATE"], methods=["POST"])
@access.public
def activate_start() -> Response:
    form = CodeForm()
    if form.validate_on_submit():
        code = services.normalise_code(form.code.data)
        if services.activation_code_find(code) is not None:
            return redirect(url_for("accounts.activate", code=services.format_code(code)), code=303)
        form.code.errors.append(_("Deze code werkt niet (meer). Vraag je contactpersoon om een nieuwe code."))
    status = 422 if request.method == "POST" else 200
    return render("accounts/activate_start.html", "accounts/_activate_start_form.html", form=form,
                  status=status)


@bp.route("/activate/<code>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_ACTIVATE"], methods=["GET", "POST"])
@access.public
def activate(code: str) -> Response:
    record = services.activation_code_find(code)
    if record is None:
        return render("accounts/activate_invalid.html", status=404)
    if "lang" not in session and not current_user.is_authenticated:
        # The letter was in the resident's language; the page follows it.
        g.locale_override = record.user.language
        refresh()
    form = ActivateForm()
    if form.validate_on_submit():
        try:
            user = services.activation_code_redeem(code=code, password=form.password.data)
        except DomainError as error:
            form_error(form, error, "password")
        else:
            logout_user()
            return _after_password(user, None)
    status = 422 if request.method == "POST" else 200
    return render("accounts/activate.html", "accounts/_activate_form.html", form=form, status=status,
                  account=record.user, code=code)


def _account_context(**forms) -> dict:
    user: User = current_user
    language_form = forms.get("language_form") or LanguageForm(language=user.language)
    language_form.language.choices = options(languages_for(user).items())
    resident = user.resident
    return {
        "language_form": language_form,
        "preferences_form": forms.get("preferences_form") or PreferencesForm(show_dutch=user.show_dutch),
        "password_form": forms.get("password_form") or PasswordChangeForm(),
        "email_form": forms.get("email_form") or EmailForm(email=user.email),
        "code_off_form": forms.get("code_off_form") or SecondStepForm(),
        "resident": resident,
        **account_context(user),
    }


@bp.route("/account")
@access.signed_in
def account() -> Response:
    return render("accounts/account.html", "accounts/_account.html", **_account_context())


@bp.route("/account/language", methods=["POST"])
@access.signed_in
def account_language() -> Response:
    form = LanguageForm()
    form.language.choices = options(languages_for(current_user).items())
    if form.validate():
        services.user_set_language(user=current_user, language=form.language.data)
        session["lang"] = form.language.data
        return see_other("accounts.account", saved="language")
    return render("accounts/account.html", "accounts/_account.html", status=422,
                  **_account_context(language_form=form))


@bp.route("/account/preferences", methods=["POST"])
@access.signed_in
def account_preferences() -> Response:
    form = PreferencesForm()
    if form.validate():
        services.user_set_preferences(user=current_user, show_dutch=form.show_dutch.data)
        return see_other("accounts.account", saved="preferences")
    return render("accounts/account.html", "accounts/_account.html", status=422,
                  **_account_context(preferences_form=form))


@bp.route("/account/email", methods=["POST"])
@access.signed_in
def account_email() -> Response:
    form = EmailForm()
    if form.validate():
        try:
            services.user_set_email(user=current_user, email=form.email.data)
        except DomainError as error:
            form_error(form, error, "email")
        else:
            return see_other("accounts.account", saved="email")
    return render("accounts/account.html", "accounts/_account.html", status=422,
                  **_account_context(email_form=form))


@bp.route("/account/password", methods=["POST"])
@access.signed_in
def account_password() -> Response:
    form = PasswordChangeForm()
    if form.validate():
        try:
            user = services.user_set_password(user=current_user, current=form.current.data,
                                              new=form.password.data)
        except DomainError as error:
            form_error(form, error, "password")
        else:
            _sign_in(user)  # this session continues with the new session version; all others end
            return see_other("accounts.account", saved="password")
    return render("accounts/account.html", "accounts/_account.html", status=422,
                  **_account_context(password_form=form))


@bp.route("/account/data")
@access.roles(Role.RESIDENT)
def account_data() -> Response:
    archive = export_archive(current_user.resident, made_at=utcnow())
    response = Response(archive, mimetype="application/zip")
    response.headers["Content-Disposition"] = 'attachment; filename="wegwijs-mijn-gegevens.zip"'
    response.headers["Cache-Control"] = "no-store"
    return response


from portal.accounts import second_factor  # noqa: E402, F401 - its routes register on bp
