from tests.access_table import EVERYONE, SIGNED_IN, Row

ROWS = [
    Row("static", "GET", lambda w: "/static/css/wegwijs.css", EVERYONE, page=False),
    Row("accounts.login", "GET", lambda w: "/login", EVERYONE),
    Row("accounts.logout", "GET", lambda w: "/logout", EVERYONE, page=False),
    Row("accounts.language", "POST", lambda w: "/language", EVERYONE, data=lambda w: {"language": "en"}),
    Row("accounts.activate_start", "GET", lambda w: "/activate", EVERYONE),
    Row("accounts.activate", "GET", lambda w: "/activate/AAAA-BBBB-CCCC", EVERYONE, page=False),
    Row("accounts.account", "GET", lambda w: "/account", SIGNED_IN),
    Row("accounts.account_language", "POST", lambda w: "/account/language", SIGNED_IN,
        data=lambda w: {"language": "nl"}),
    Row("accounts.account_preferences", "POST", lambda w: "/account/preferences", SIGNED_IN,
        data=lambda w: {"show_dutch": "y"}),
    Row("accounts.account_password", "POST", lambda w: "/account/password", SIGNED_IN,
        data=lambda w: {"current": "wrong", "password": "x", "confirm": "y"}),
    Row("accounts.account_data", "GET", lambda w: "/account/data", frozenset({"resident"}), page=False),
    Row("admin.index", "GET", lambda w: "/admin/", frozenset({"admin"})),
    Row("admin.staff_new", "POST", lambda w: "/admin/staff", frozenset({"admin"}), data=lambda w: {}),
    Row("admin.staff_code", "POST", lambda w: f"/admin/staff/{w.pieter_id}/code", frozenset({"admin"})),
    Row("admin.staff_active", "POST", lambda w: f"/admin/staff/{w.pieter_id}/active", frozenset({"admin"}),
        data=lambda w: {"active": "1"}),
    Row("system.healthz", "GET", lambda w: "/healthz", EVERYONE, page=False),
]
