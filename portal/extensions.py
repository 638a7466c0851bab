"""Extension objects; create_app binds them."""

from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect
from htmx_flask import Htmx

babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
migrate = Migrate()
talisman = Talisman()
htmx = Htmx()
limiter = Limiter(key_func=get_remote_address, default_limits=[], strategy="fixed-window")
