"""Sign-in, sign-out, activation with a code, language choice and the account page."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, g, redirect, request, session, url_for
from flask_babel import refresh
from flask_login import current_user, login_user, logout_user

from portal.accounts import services
from portal.accounts.export import account_export, export_archive
from portal.accounts.forms import (
    ActivateForm,
    CodeForm,
    EmailForm,
    LanguageForm,
    LoginForm,
    PasswordChangeForm,
    PreferencesForm,
)
from portal.accounts.models import User
from portal.db import utcnow
from portal.domain import DomainError
from portal.extensions import limiter
from portal.i18n import _, languages_for
from portal.registry import account_context, add_export_section
from portal.roles import Role
from portal.web import access
from portal.web.forms import form_error, options
from portal.web.htmx import render, see_other
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
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    login_user(user)
    session.permanent = True


def _login_username_key() -> str:
    return "login-user:" + request.form.get("username", "").strip().lower()[:64]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN_IP"], methods=["POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN_USER"], methods=["POST"],
               key_func=_login_username_key)
@access.public
def login() -> Response:
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    form = LoginForm()
    failed = False
    if form.validate_on_submit():
        user = services.user_authenticate(username=form.username.data, password=form.password.data)
        if user is not None:
            next_url = safe_next(request.args.get("next"))
            _sign_in(user)
            return redirect(next_url or home_url(user), code=303)
        failed = True
    status = 422 if request.method == "POST" else 200
    return render("accounts/login.html", "accounts/_login_form.html", form=form, failed=failed,
                  status=status)


@bp.route("/logout", methods=["GET", "POST"])
@access.public
def logout() -> Response:
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    return redirect(url_for("accounts.login"), code=303)


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
@limiter.limit(lambda: current_app.config["RATELIMIT_ACTIVATE"], methods=["POST"])
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
            _sign_in(user)
            return redirect(home_url(user), code=303)
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
