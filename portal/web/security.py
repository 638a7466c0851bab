"""Security headers (Flask-Talisman), request ids and caching rules."""

from __future__ import annotations

import re
import secrets

from flask import Flask, Response, g, request

from portal.extensions import talisman

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "object-src": "'none'",
    "manifest-src": "'self'",
    "worker-src": "'self'",
}

PERMISSIONS_POLICY = {
    "camera": "()",
    "microphone": "()",
    "geolocation": "()",
    "payment": "()",
    "usb": "()",
    "interest-cohort": "()",
}

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def init_security(app: Flask) -> None:
    production = app.config["ENV_NAME"] == "production"
    talisman.init_app(
        app,
        force_https=app.config["FORCE_HTTPS"],
        strict_transport_security=production,
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        content_security_policy=CSP,
        frame_options="DENY",
        referrer_policy="same-origin",
        permissions_policy=PERMISSIONS_POLICY,
        x_content_type_options=True,
    )
    app.before_request(_assign_request_id)
    app.after_request(_finish_headers)


def _assign_request_id() -> None:
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if _REQUEST_ID.match(incoming) else secrets.token_hex(6)


def _finish_headers(response: Response) -> Response:
    response.headers["X-Request-ID"] = g.get("request_id", "")
    if request.endpoint != "static":
        # Phones are often shared: never keep personal pages in a cache.
        response.headers["Cache-Control"] = "no-store"
    response.vary.add("HX-Request")
    return response
