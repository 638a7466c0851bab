"""Settings from the environment; one class per use."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str) -> list[str] | None:
    """A comma-separated list, or None when unset or empty."""
    items = [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]
    return items or None


def _redis_or_memory() -> str:
    return os.environ.get("REDIS_URL") or "memory://"


def _local_secret_key() -> str:
    """A development key kept under instance/ so sessions survive a restart."""
    INSTANCE.mkdir(exist_ok=True)
    path = INSTANCE / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    ENV_NAME = "base"
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE / 'wegwijs.db'}"
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024
    # Static URLs carry a content hash (asset()), so browsers may keep them for a year.
    SEND_FILE_MAX_AGE_DEFAULT = 60 * 60 * 24 * 365
    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")
    SESSION_COOKIE_NAME = "wegwijs_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    # A session ends after this much idle time (residents, staff) and, however active, after SESSION_MAX_HOURS.
    SESSION_IDLE_RESIDENT_MINUTES = int(os.environ.get("SESSION_IDLE_RESIDENT_MINUTES", "30"))
    SESSION_IDLE_STAFF_MINUTES = int(os.environ.get("SESSION_IDLE_STAFF_MINUTES", "60"))
    SESSION_MAX_HOURS = int(os.environ.get("SESSION_MAX_HOURS", "12"))
    PERMANENT_SESSION_LIFETIME = 60 * 60 * SESSION_MAX_HOURS
    # Flask 3.1 answers 400 to any other Host header, so url_for(_external=True) cannot be steered.
    TRUSTED_HOSTS = _env_list("TRUSTED_HOSTS")
    WTF_CSRF_TIME_LIMIT = 60 * 60 * 12
    WTF_CSRF_HEADERS = ["X-CSRFToken"]
    RATELIMIT_STORAGE_URI = _redis_or_memory()
    RATELIMIT_STRATEGY = "fixed-window"
    RATELIMIT_HEADERS_ENABLED = True
    # Failed sign-ins (not attempts) per client address, and per user name (portal/accounts/throttle.py).
    RATELIMIT_LOGIN_IP = os.environ.get("RATELIMIT_LOGIN_IP", "20 per 10 minutes")
    RATELIMIT_LOGIN_USER = os.environ.get("RATELIMIT_LOGIN_USER", "8 per 10 minutes")
    RATELIMIT_ACTIVATE = os.environ.get("RATELIMIT_ACTIVATE", "15 per 10 minutes")
    FORCE_HTTPS = _env_bool("FORCE_HTTPS", True)
    PROXY_FIX = int(os.environ.get("PROXY_FIX", "0"))
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    LEARN_CONTENT = os.environ.get("LEARN_CONTENT")  # a folder like portal/learn/content (default: that one)
    ACTIVATION_DAYS = 14
    SMTP_HOST = os.environ.get("SMTP_HOST", "")
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "587"))
    SMTP_USER = os.environ.get("SMTP_USER", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    SMTP_STARTTLS = _env_bool("SMTP_STARTTLS", True)
    SMTP_SSL = _env_bool("SMTP_SSL", False)
    SMTP_TIMEOUT = float(os.environ.get("SMTP_TIMEOUT", "10"))
    MAIL_FROM = os.environ.get("MAIL_FROM", "wegwijs@gemeente.example")
    # Where people reach Wegwijs, for links in e-mails (sent by cron, outside any request).
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "").rstrip("/")
    # Messages: how often an open conversation asks for new replies, the size of one attachment,
    # and at most one notification e-mail per this many minutes (residents; staff digests).
    MESSAGES_POLL_SECONDS = int(os.environ.get("MESSAGES_POLL_SECONDS", "30"))
    MESSAGES_MAX_FILE_BYTES = int(os.environ.get("MESSAGES_MAX_FILE_BYTES", str(10 * 1024 * 1024)))
    MESSAGES_RESIDENT_MAIL_MINUTES = int(os.environ.get("MESSAGES_RESIDENT_MAIL_MINUTES", "60"))
    MESSAGES_STAFF_MAIL_MINUTES = int(os.environ.get("MESSAGES_STAFF_MAIL_MINUTES", "60"))
    # Where uploaded files (message attachments) live: outside static/, never served directly.
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER") or str(INSTANCE / "uploads")
    # argon2id parameters (RFC 9106 "second recommended" profile is argon2-cffi's default)
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    ARGON2_PARALLELISM = 4


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    SESSION_COOKIE_SECURE = False
    FORCE_HTTPS = False

    @property
    def SECRET_KEY(self) -> str:
        return os.environ.get("SECRET_KEY") or _local_secret_key()


class ProductionConfig(Config):
    ENV_NAME = "production"
    # __Host-: only over https, for this host alone, path / (no Domain attribute).
    SESSION_COOKIE_NAME = "__Host-wegwijs_session"
    SESSION_COOKIE_PATH = "/"
    SESSION_COOKIE_DOMAIN = None

    @property
    def SECRET_KEY(self) -> str:
        key = os.environ.get("SECRET_KEY")
        if not key or len(key) < 32:
            raise RuntimeError("SECRET_KEY must be set to at least 32 random characters in production")
        return key


class TestConfig(Config):
    ENV_NAME = "test"
    PUBLIC_URL = ""
    UPLOAD_FOLDER = tempfile.mkdtemp(prefix="wegwijs-test-uploads-")
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production-use-0123456789"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    SESSION_COOKIE_SECURE = False
    FORCE_HTTPS = False
    RATELIMIT_STORAGE_URI = "memory://"
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    ARGON2_PARALLELISM = 1
    LOG_LEVEL = "WARNING"
    SMTP_HOST = ""
    SMTP_STARTTLS = False


CONFIGS = {"development": DevelopmentConfig, "production": ProductionConfig, "test": TestConfig}


def config_from_env() -> Config:
    name = os.environ.get("WEGWIJS_ENV", "production")
    try:
        return CONFIGS[name]()
    except KeyError:
        raise RuntimeError(f"WEGWIJS_ENV must be one of {', '.join(CONFIGS)}") from None
