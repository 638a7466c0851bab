"""The one reader of HX-* request headers: page or fragment, and htmx-aware responses."""

from __future__ import annotations

from typing import Any

from flask import Response, redirect, render_template, request, url_for
from htmx_flask import make_response as htmx_response


def is_htmx() -> bool:
    return bool(getattr(request, "htmx", False))


def current_url() -> str | None:
    """For an htmx request, the URL of the page it came from (HX-Current-URL)."""
    return request.headers.get("HX-Current-URL") if is_htmx() else None


def wants_fragment() -> bool:
    """A fragment only for a non-boosted htmx request that is not a history restore."""
    hx = getattr(request, "htmx", None)
    return bool(hx) and not hx.boosted and not hx.history_restore_request


def render(
    page: str,
    part: str | None = None,
    /,
    *,
    status: int = 200,
    trigger: str | dict | None = None,
    **context: Any,
) -> Response:
    """Render the full page, or only its partial for an htmx request; always Vary: HX-Request."""
    template = part if part is not None and wants_fragment() else page
    response = htmx_response(render_template(template, **context), status, trigger=trigger)
    response.vary.add("HX-Request")
    return response


def see_other(endpoint: str, **values: Any) -> Response:
    """After a successful plain POST: 303 to a GET. For htmx, a client-side redirect."""
    url = url_for(endpoint, **values)
    if is_htmx():
        response = htmx_response("", 200, redirect=url)
    else:
        response = redirect(url, code=303)
    response.vary.add("HX-Request")
    return response


def unauthorized_response(login_url: str) -> Response:
    """Expired or missing session: htmx gets 401 with HX-Redirect, a browser a redirect."""
    if is_htmx():
        response = htmx_response("", 401, redirect=login_url)
    else:
        response = redirect(login_url, code=302)
    response.vary.add("HX-Request")
    return response


def add_vary(response: Response) -> Response:
    response.vary.add("HX-Request")
    return response
