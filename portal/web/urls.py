"""Where a redirect may go: only to a path on this site."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import request

# What a browser does to a URL before it parses it (WHATWG URL standard): leading and trailing
# C0 controls and spaces go, and so do tabs and newlines anywhere. "\t//evil.example" is "//evil.example".
_C0_OR_SPACE = "".join(chr(code) for code in range(0x21))
_TAB_OR_NEWLINE = str.maketrans("", "", "\t\n\r")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def browser_form(target: str) -> str:
    """The URL as a browser reads it."""
    return target.strip(_C0_OR_SPACE).translate(_TAB_OR_NEWLINE)


def safe_next(target: str | None) -> str | None:
    """A path on this site, or None: read as a browser would, then no other scheme, no other host,
    no protocol-relative "//", no backslashes (browsers read them as "/"), no control characters."""
    if not target:
        return None
    url = browser_form(target)
    if "\\" in url or _CONTROL.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed "[" of an IPv6 host
        return None
    one_slash_path = url.startswith("/") and not url.startswith("//")
    # Otherwise only a full URL of this very site will do (htmx's HX-Current-URL, the Referer).
    if not one_slash_path and (parts.scheme not in ("http", "https") or parts.netloc != request.host):
        return None
    path = parts.path or "/"
    if path.startswith("//"):
        return None
    return path + (f"?{parts.query}" if parts.query else "")
