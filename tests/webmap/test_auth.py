"""Sessions and security plumbing: login and logout, CSRF on every form, login rate limits, cookies, the key."""

from __future__ import annotations

import hmac
import re

import pytest

from gazetteer.supervision.access import Account, Role
from tests.webmap.browser import fixture_state, make_app
from webmap import auth

__all__ = ["fixture_state"]

PASSWORD = "正确的密码-123"


class MemoryAccounts:
    """Accounts in a dict (the tests of the plumbing need no database)."""

    def __init__(self, *accounts: Account) -> None:
        self._by_name = {a.name: auth.SessionUser(f"u{n}", a) for n, a in enumerate(accounts, 1)}

    def load(self, user_id):
        return next((u for u in self._by_name.values() if u.id == user_id), None)

    def authenticate(self, name, password):
        user = self._by_name.get(name)
        return user if user is not None and hmac.compare_digest(password.encode(), PASSWORD.encode()) else None


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


@pytest.fixture()
def app(fixture_state, tmp_path):
    app = make_app(fixture_state, GOVMAP_DATA_DIR=str(tmp_path))
    app.extensions[auth.ACCOUNTS_KEY] = MemoryAccounts(Account("xyh", Role.REPORTER, frozenset({"北湖镇"})),
                                                       Account("dcs", Role.REVIEWER))
    return app


def sign_in(client, name: str, password: str = PASSWORD, **extra):
    token = csrf_of(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"name": name, "password": password, "csrf_token": token, **extra})


def test_login_page_is_chinese_with_a_csrf_token(app):
    html = app.test_client().get("/login").get_data(as_text=True)
    assert "<h1>登录</h1>" in html and 'name="csrf_token"' in html and "登录</a>" in html


def test_signing_in_sets_a_safe_session_cookie_and_shows_the_name(app):
    client = app.test_client()
    response = sign_in(client, "xyh")
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    page = client.get("/towns/")
    assert "xyh" in page.get_data(as_text=True) and ">退出</button>" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "private, no-store"


def test_secure_cookies_when_served_over_https(fixture_state, tmp_path):
    app = make_app(fixture_state, GOVMAP_DATA_DIR=str(tmp_path), GOVMAP_SECURE_COOKIES=True)
    app.extensions[auth.ACCOUNTS_KEY] = MemoryAccounts(Account("xyh", Role.REPORTER))
    client = app.test_client()
    token = csrf_of(client.get("/login", base_url="https://localhost").get_data(as_text=True))
    response = client.post("/login", base_url="https://localhost", headers={"Referer": "https://localhost/login"},
                           data={"name": "xyh", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302 and "Secure" in response.headers["Set-Cookie"]


def test_a_post_without_the_csrf_token_is_refused_in_chinese(app):
    client = app.test_client()
    response = client.post("/login", data={"name": "xyh", "password": PASSWORD})
    assert response.status_code == 400
    assert auth.CSRF_DESCRIPTION in response.get_data(as_text=True)
    assert "_user_id" not in (client.get_cookie("session").value if client.get_cookie("session") else "")


def test_a_wrong_password_is_said_in_chinese_and_not_which_part_was_wrong(app):
    for name in ("xyh", "nobody"):
        response = sign_in(app.test_client(), name, "wrong")
        assert response.status_code == 401 and "用户名或密码不正确" in response.get_data(as_text=True)


def test_failures_are_limited_per_account(app):
    client = app.test_client()
    for _ in range(auth.LOGIN_LIMIT_ACCOUNT):
        assert sign_in(client, "xyh", "wrong").status_code == 401
    blocked = sign_in(client, "xyh")  # even the right password waits now
    assert blocked.status_code == 429 and "登录失败次数过多" in blocked.get_data(as_text=True)
    assert int(blocked.headers["Retry-After"]) > 0
    assert sign_in(client, "dcs").status_code == 302  # another account from the same address may


def test_failures_are_limited_per_address(app):
    client = app.test_client()
    for n in range(auth.LOGIN_LIMIT_ADDRESS):
        sign_in(client, f"guess{n}", "wrong")
    assert sign_in(client, "dcs").status_code == 429
    other = app.test_client()
    token = csrf_of(other.get("/login").get_data(as_text=True))
    assert other.post("/login", environ_base={"REMOTE_ADDR": "10.0.0.9"},
                      data={"name": "dcs", "password": PASSWORD, "csrf_token": token}).status_code == 302


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/x", "javascript:alert(1)"],
                         ids=["scheme-less", "other-host", "script"])
def test_after_signing_in_the_user_returns_only_to_this_site(app, target):
    assert sign_in(app.test_client(), "xyh", next="/towns/").headers["Location"] == "/towns/"
    location = sign_in(app.test_client(), "xyh", next=target).headers["Location"]
    assert location.startswith("/") and not location.startswith("//") and "evil" not in location


def test_logout_is_a_post_with_the_token(app):
    client = app.test_client()
    sign_in(client, "xyh")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    html = client.get("/towns/").get_data(as_text=True)
    assert client.post("/logout", data={"csrf_token": csrf_of(html)}).status_code == 302
    assert "退出" not in client.get("/towns/").get_data(as_text=True)


def test_the_secret_key_is_kept_in_the_data_folder_or_set(fixture_state, tmp_path):
    first = make_app(fixture_state, GOVMAP_DATA_DIR=str(tmp_path))
    again = make_app(fixture_state, GOVMAP_DATA_DIR=str(tmp_path))
    assert first.secret_key == again.secret_key == (tmp_path / auth.SECRET_FILE).read_text().strip()
    assert make_app(fixture_state, GOVMAP_DATA_DIR=str(tmp_path / "other")).secret_key != first.secret_key
    assert make_app(fixture_state, GOVMAP_SECRET_KEY="k" * 40).secret_key == "k" * 40
