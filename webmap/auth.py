"""Sessions and the security plumbing of every page: accounts signed in with Flask-Login, CSRF protection on every
form (Flask-WTF), login attempts rate-limited, cookie settings and the secret key.

* The secret key is ``GOVMAP_SECRET_KEY``, else one generated once and kept in the deployment's data folder
  (``secret_key``, readable by its owner only), so sessions survive a restart; there is no built-in key.
* Cookies are ``HttpOnly`` and ``SameSite=Lax``, and ``Secure`` when ``GOVMAP_SECURE_COOKIES`` is set (behind HTTPS).
* Every POST, PUT, PATCH and DELETE needs the form's CSRF token (a missing or stale one is a 400 page in Chinese),
  except in the Bearer-token JSON API (:data:`TOKEN_BLUEPRINTS`), which in turn never sees the session's user.
* Accounts come from an :class:`Accounts` provider kept in ``app.extensions``: the database's users
  (:class:`StoredAccounts`, passwords hashed by :mod:`layers.storage.accounts`).
"""

from __future__ import annotations

import datetime
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from flask import Flask, Response, current_app, request, session
from flask_login import LoginManager, UserMixin, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect

from gazetteer.supervision.access import Account
from geodata import deployment as deployments
from geodata import userdata
from webmap.ratelimit import AttemptLimiter
from webmap.state import get_supervision

#: Where the provider of accounts and the login limiters live in ``app.extensions``.
ACCOUNTS_KEY = "govmap-accounts"
LIMITS_KEY = "govmap-login-limits"
#: The generated secret key's file in the data folder.
SECRET_FILE = "secret_key"
#: Blueprints that authenticate by Bearer token only: no CSRF token, and never the session cookie's user.
TOKEN_BLUEPRINTS: frozenset[str] = frozenset({"api"})
#: Failed logins allowed per account and per client address within :data:`LOGIN_WINDOW` seconds.
LOGIN_LIMIT_ACCOUNT = 5
LOGIN_LIMIT_ADDRESS = 20
LOGIN_WINDOW = 15 * 60.0
#: How long a session lasts without a new login.
SESSION_LIFETIME = datetime.timedelta(hours=12)

CSRF_DESCRIPTION = "表单缺少安全令牌或已过期，请刷新页面后重新提交。"


@dataclass(frozen=True, slots=True)
class SessionUser(UserMixin):
    """A signed-in account as Flask-Login sees it: ``id`` goes into the session, ``account`` into ``allowed``."""

    id: str
    account: Account
    display: str = ""

    def get_id(self) -> str:
        return self.id

    @property
    def label(self) -> str:
        return self.display or self.account.name


class Accounts(Protocol):
    """Where accounts come from: load by session id, and check a name with its password."""

    def load(self, user_id: str) -> SessionUser | None: ...

    def authenticate(self, name: str, password: str) -> SessionUser | None: ...


class StoredAccounts:
    """The database's users (:mod:`layers.storage.accounts`); the session keeps the user's name and the account is
    read again on every request, so a deleted user or a changed binding takes effect at once."""

    def load(self, user_id: str) -> SessionUser | None:
        from layers.errors import NotAuthenticated
        from layers.storage.accounts import account

        sv = get_supervision()
        if sv is None:
            return None
        try:
            return SessionUser(user_id, account(sv.store, user_id))
        except NotAuthenticated:
            return None

    def authenticate(self, name: str, password: str) -> SessionUser | None:
        from layers.errors import NotAuthenticated
        from layers.storage.accounts import authenticate_password

        sv = get_supervision()
        if sv is None:
            return None
        try:
            found = authenticate_password(sv.store, name, password)
        except NotAuthenticated:
            return None
        return SessionUser(found.name, found)


def secret_key(config: Any) -> str:
    """``GOVMAP_SECRET_KEY``, else the key kept in the data folder (made on first use)."""
    if config.get("GOVMAP_SECRET_KEY"):
        return str(config["GOVMAP_SECRET_KEY"])
    data_dir = Path(config["GOVMAP_DATA_DIR"]) if config.get("GOVMAP_DATA_DIR") else None
    folder = userdata.user_dir(data_dir, deployment=deployments.load(config.get("GOVMAP_DEPLOYMENT")))
    return kept_key(folder / SECRET_FILE)


def kept_key(path: Path) -> str:
    """The key in ``path``; a new random one written there (mode 0600) when there is none yet.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> first = kept_key(folder / "k"); first == kept_key(folder / "k"), len(first), oct((folder / "k").stat().st_mode)[-3:]
    (True, 64, '600')
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    key = secrets.token_hex(32)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key


def accounts() -> Accounts:
    return current_app.extensions[ACCOUNTS_KEY]


def current_account() -> Account | None:
    """The signed-in account (``None`` for an anonymous reader and in the token API)."""
    if request.blueprint in TOKEN_BLUEPRINTS or not current_user.is_authenticated:
        return None
    return current_user.account


def login_limiters() -> dict[str, AttemptLimiter]:
    return current_app.extensions[LIMITS_KEY]


def _load_user(user_id: str) -> SessionUser | None:
    if request.blueprint in TOKEN_BLUEPRINTS:  # the token API never accepts the session cookie
        return None
    return accounts().load(user_id)


def _csrf_error(exc: CSRFError) -> Response:
    from webmap.errors import error_response

    return error_response(400, "InvalidParameterValue", CSRF_DESCRIPTION)


def _no_store(response: Response) -> Response:
    """Pages seen by a signed-in account are never cached by a browser or proxy (they may show drafts)."""
    if "_user_id" in session:
        response.headers["Cache-Control"] = "private, no-store"
        response.vary.add("Cookie")
    return response


def init_app(app: Flask) -> None:
    """Secret key, cookies, sessions, CSRF; call after every blueprint is registered (to exempt the token API)."""
    app.secret_key = secret_key(app.config)
    secure = bool(app.config["GOVMAP_SECURE_COOKIES"])
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=secure,
                      REMEMBER_COOKIE_HTTPONLY=True, REMEMBER_COOKIE_SAMESITE="Lax", REMEMBER_COOKIE_SECURE=secure,
                      PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,
                      # a token is bound to its session; a report form may stay open longer than an hour
                      WTF_CSRF_TIME_LIMIT=None, WTF_CSRF_SSL_STRICT=secure)
    app.extensions.setdefault(ACCOUNTS_KEY, StoredAccounts())
    app.extensions[LIMITS_KEY] = {"account": AttemptLimiter(limit=LOGIN_LIMIT_ACCOUNT, window=LOGIN_WINDOW),
                                  "address": AttemptLimiter(limit=LOGIN_LIMIT_ADDRESS, window=LOGIN_WINDOW)}
    manager = LoginManager(app)
    manager.login_view = "account.login"
    manager.login_message = "请先登录。"
    manager.login_message_category = "notice"
    manager.session_protection = "strong"
    manager.user_loader(_load_user)
    csrf = CSRFProtect(app)
    for name in TOKEN_BLUEPRINTS & set(app.blueprints):
        csrf.exempt(app.blueprints[name])
    app.register_error_handler(CSRFError, _csrf_error)
    app.after_request(_no_store)
