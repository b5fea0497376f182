"""Signing in and out: ``/login`` (a form; failures rate-limited per account and per address) and ``/logout``
(a POST with the form's CSRF token). After signing in, the user goes back where they were sent from (a path on
this site only) or to their own page."""

from __future__ import annotations

import math
from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, redirect, render_template, request, session, url_for
from flask_login import login_user, logout_user
from werkzeug.wrappers import Response

from webmap.auth import accounts, login_limiters
from webmap.pages.planner import home_name
from webmap.state import get_state
from webmap.templating import page_title, site_name

bp = Blueprint("account", __name__)

#: Where a user lands after signing in when no page sent them (the first endpoint that exists).
LANDING = ("me.index", "planner.index")


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a path on this site (never another host, ``//host`` or ``javascript:``).

    >>> safe_next("/me/?q=1"), safe_next("//evil.example/"), safe_next("https://evil.example/"), safe_next("me")
    ('/me/?q=1', None, None, None)
    """
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def _landing() -> str:
    endpoint = next(e for e in LANDING if e in current_app.view_functions)
    return url_for(endpoint)


def _form(*, error: str = "", name: str = "", status: int = 200) -> tuple[str, int]:
    title = page_title("登录", site=site_name(home_name(get_state())))
    return render_template("login.html", title=title, error=error, name=name,
                           next=safe_next(request.values.get("next")) or ""), status


@bp.get("/login")
def login() -> tuple[str, int]:
    return _form()


@bp.post("/login")
def login_post() -> tuple[str, int] | Response:
    name = request.form.get("name", "").strip()
    password = request.form.get("password", "")
    limits = login_limiters()
    address = request.remote_addr or ""
    wait = max(limits["account"].blocked(name), limits["address"].blocked(address))
    if wait:
        page, status = _form(error=f"登录失败次数过多，请 {math.ceil(wait / 60)} 分钟后再试。", name=name, status=429)
        return Response(page, status=status, headers={"Retry-After": str(math.ceil(wait))},
                        content_type="text/html; charset=utf-8")
    user = accounts().authenticate(name, password) if name and password else None
    if user is None:
        limits["account"].fail(name)
        limits["address"].fail(address)
        return _form(error="用户名或密码不正确。", name=name, status=401)
    limits["account"].clear(name)
    session.clear()  # a new session for the new login (no fixation)
    login_user(user)
    session.permanent = True
    return redirect(safe_next(request.form.get("next")) or _landing())


@bp.post("/logout")
def logout() -> Response:
    logout_user()
    session.clear()
    return redirect(url_for("planner.index"))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
