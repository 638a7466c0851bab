"""Error pages in the user's language; never a stack trace; a 500 shows the request id."""

from __future__ import annotations

from flask import Flask, Response, current_app, g, render_template, request
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from portal.db import db
from portal.i18n import _
from portal.web.htmx import add_vary, wants_fragment

HANDLED = (400, 401, 403, 404, 405, 413, 422, 429, 500, 503)
RETRY_AFTER_SECONDS = 10


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Dit ging niet goed"), _("Het verzoek klopt niet. Probeer het opnieuw.")),
        401: (_("Log eerst in"), _("Je moet ingelogd zijn om dit te zien.")),
        403: (_("Geen toegang"), _("Je hebt geen toegang tot deze pagina.")),
        404: (_("Niet gevonden"), _("Deze pagina bestaat niet, of niet meer.")),
        405: (_("Dit kan zo niet"), _("Deze pagina werkt niet op deze manier.")),
        413: (_("Te groot"), _("Wat je stuurde is te groot. Maak het kleiner en probeer het opnieuw.")),
        422: (_("Controleer je invoer"), _("Niet alles is goed ingevuld.")),
        429: (
            _("Te veel pogingen"),
            _("Je hebt het te vaak geprobeerd. Wacht een paar minuten en probeer het dan opnieuw."),
        ),
        500: (
            _("Er ging iets mis"),
            _("Er ging iets mis aan onze kant. Probeer het later opnieuw."),
        ),
        503: (_("Even niet bereikbaar"), _("Wegwijs is even niet bereikbaar. Probeer het zo opnieuw.")),
    }


def _render(code: int, title: str, message: str) -> Response:
    template = "errors/_error.html" if wants_fragment() else "errors/error.html"
    body = render_template(template, code=code, title=title, message=message, reference=g.get("request_id", ""))
    return add_vary(Response(body, status=code, mimetype="text/html"))


def handle_http_error(error: HTTPException) -> Response:
    if isinstance(error, SecurityError):  # a Host outside TRUSTED_HOSTS: no URL can be built, so no page
        return Response("400 Bad Request", status=400, mimetype="text/plain")
    code = error.code or 500
    if code not in HANDLED:
        return error  # type: ignore[return-value]
    title, message = _messages()[code]
    return _render(code, title, message)


def handle_csrf_error(error: CSRFError) -> Response:
    return _render(
        400,
        _("Het formulier is verlopen"),
        _("Het formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens."),
    )


def database_unreachable(error: BaseException) -> bool:
    """The database went away or refused for now (a killed connection, a restart, SQLite busy): worth a retry."""
    return isinstance(error, OperationalError) or (isinstance(error, DBAPIError) and error.connection_invalidated)


def handle_server_error(error: Exception) -> Response:
    try:
        db.session.rollback()  # before rendering: the failed transaction cannot load anything
    except Exception:  # a connection that is gone cannot even roll back; the pool replaces it
        db.session.invalidate()
    original = getattr(error, "original_exception", None) or error
    # A lost database connection is not a bug: a quick 503 that asks to try again (nothing was committed).
    code = 503 if database_unreachable(original) else 500
    log = current_app.logger.warning if code == 503 else current_app.logger.error
    log(
        "database unreachable" if code == 503 else "unhandled error",
        exc_info=original if isinstance(original, BaseException) else None,
        extra={"request_id": g.get("request_id", ""), "path": request.path},
    )
    try:
        title, message = _messages()[code]
        response = _render(code, title, message)
    except Exception:  # the page itself failed: fall back to plain text, still with the reference
        current_app.logger.exception("error page failed")
        reference = escape(g.get("request_id", ""))
        response = Response(
            f"<!doctype html><title>{code}</title><p>Error. Reference: {reference}</p>",
            status=code,
            mimetype="text/html",
        )
    if code == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def init_errors(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(InternalServerError, handle_server_error)
    app.register_error_handler(Exception, handle_server_error)
