from tests.access_table import Row

ROWS = [
    Row("home.index", "GET", lambda w: "/", frozenset({"resident"})),
    Row("reports.index", "GET", lambda w: "/manage/", frozenset({"lead"})),
]
