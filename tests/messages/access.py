from tests.access_table import STAFF_FILE, Row

RESIDENT = frozenset({"resident"})
KEY = "0b6f4a52-3c1e-4d2a-9f7e-1a2b3c4d5e6f"

ROWS = [
    Row("messages.index", "GET", lambda w: "/messages", RESIDENT),
    Row("messages.send", "POST", lambda w: "/messages", RESIDENT,
        data=lambda w: {"body": "Hallo", "client_key": KEY}),
    Row("messages.poll", "GET", lambda w: "/messages/new?after=0", RESIDENT, page=False),
    Row("messages.attachment", "GET", lambda w: "/messages/files/999999", RESIDENT | STAFF_FILE, page=False),
    Row("messages.account_settings", "POST", lambda w: "/account/messages", RESIDENT,
        data=lambda w: {"notify_email": "y"}),
    Row("messages.account_profile", "POST", lambda w: "/account/messages/profile", frozenset({"caseworker"}),
        data=lambda w: {"working_days": ["1", "2"], "reply_days": "1"}),
    Row("messages.staff_inbox", "GET", lambda w: "/staff/messages", STAFF_FILE),
    Row("messages.staff_conversation", "GET", lambda w: f"/staff/messages/{w.amina_id}", STAFF_FILE),
    Row("messages.staff_panel", "GET", lambda w: f"/staff/messages/{w.amina_id}/panel", STAFF_FILE, page=False),
    Row("messages.staff_reply", "POST", lambda w: f"/staff/messages/{w.amina_id}", STAFF_FILE,
        data=lambda w: {"body": "Hallo", "client_key": KEY}),
    Row("messages.staff_handled", "POST", lambda w: f"/staff/messages/{w.amina_id}/handled",
        frozenset({"caseworker"}), data=lambda w: {"handled": "1"}),
]
