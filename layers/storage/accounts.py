"""Accounts of supervision: users (admin, reviewer, reporter), the units a reporter is bound to, passwords and API
tokens, and the :class:`~gazetteer.supervision.access.Account` a request acts as.

Passwords are hashed with Werkzeug's ``generate_password_hash`` (scrypt, salted, its parameters in the hash so a
later Werkzeug can raise them): a vetted implementation already installed with Flask, without a C extension to
build (argon2-cffi would be one more compiled dependency for no gain at this scale). An API token is 256 random
bits (:func:`secrets.token_urlsafe`); only its SHA-256 is stored — a fast hash is enough for a secret that long,
and it lets a request find the token by an indexed lookup. Deleting a user deletes their tokens and bindings.

These functions are the command line's (``govmap users …``): whoever runs them holds the deployment's shell.

>>> from layers.storage.database import Store
>>> store = Store("sqlite://"); _ = store.upgrade()
>>> add_user(store, "xyh", role="reporter", password="一个足够长的口令abc123", units=["向阳湖镇"])["units"]
['向阳湖镇']
>>> authenticate_password(store, "xyh", "一个足够长的口令abc123")
Account(name='xyh', role=<Role.REPORTER: 'reporter'>, units=frozenset({'向阳湖镇'}))
>>> authenticate_token(store, new_token(store, "xyh")).name
'xyh'
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from gazetteer.supervision.access import Account, Role
from layers.errors import Conflict, Invalid, NoSuchRecord, NotAuthenticated
from layers.storage import models
from layers.storage.database import Store

#: The shortest password accepted (characters).
MIN_PASSWORD = 10
#: The longest password accepted (characters; longer ones only cost hashing time).
MAX_PASSWORD = 200
#: What a user name may hold: letters (汉字 too), digits, ``_ . -``; at most 64 characters.
NAME = re.compile(r"[\w.\-]{1,64}")
#: Who the command line acts as in the event log (no user name can have ``@``).
CLI = "@cli"
#: Every API token starts with this, so that a leaked one is recognisable (secret scanners, logs).
TOKEN_PREFIX = "gm_"
#: Werkzeug's hashing method (its scrypt parameters: N=32768, r=8, p=1; about a second per hash).
HASH_METHOD = "scrypt"


@functools.cache
def _dummy_hash(method: str) -> str:
    """A hash checked when the user does not exist, so that a wrong name takes as long as a wrong password."""
    return generate_password_hash("not a password of anyone", method=method)


def check_password(password: str) -> str:
    """The password if it is long enough, else :class:`Invalid`.

    >>> check_password("短")
    Traceback (most recent call last):
    ...
    layers.errors.Invalid: 密码至少 10 个字符
    """
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"密码至少 {MIN_PASSWORD} 个字符")
    if len(password) > MAX_PASSWORD:
        raise Invalid(f"密码至多 {MAX_PASSWORD} 个字符")
    return password


def add_user(store: Store, name: str, *, role: str, password: str, units: Iterable[str] = ()) -> dict[str, Any]:
    """Make a user; a reporter needs at least one unit (its key), the others none."""
    if not NAME.fullmatch(name):
        raise Invalid("用户名只能含文字、数字和 _ . -，至多 64 个字符")
    try:
        role = Role(role)
    except ValueError:
        raise Invalid(f"角色应为 {', '.join(r.value for r in Role)} 之一") from None
    units = sorted(set(units))
    if role == Role.REPORTER and not units:
        raise Invalid("填报人须绑定至少一个单位（--unit）")
    if role != Role.REPORTER and units:
        raise Invalid("只有填报人绑定单位")
    hashed = generate_password_hash(check_password(password), method=HASH_METHOD)  # outside the write lock
    now = datetime.now(UTC)
    try:
        with store.write(bump_counter=False) as session:
            user = models.User(name=name, role=str(role), password_hash=hashed, created=now,
                               units=[models.UserUnit(unit=u) for u in units])
            session.add(user)
            session.flush()
            session.add(models.Event(by=CLI, at=now, action="user-add", before="", after=f"{name} {role}",
                                     note=" ".join(units)))
            return user_record(user)
    except IntegrityError:
        raise Conflict(f"已有用户 {name}") from None


def delete_user(store: Store, name: str) -> None:
    """Delete a user, their unit bindings and tokens (their reports and events stay, under their name)."""
    with store.write(bump_counter=False) as session:
        user = _user(session, name)
        session.delete(user)
        session.add(models.Event(by=CLI, at=datetime.now(UTC), action="user-delete", before=name, after="", note=""))


def set_password(store: Store, name: str, password: str) -> None:
    hashed = generate_password_hash(check_password(password), method=HASH_METHOD)
    with store.write(bump_counter=False) as session:
        _user(session, name).password_hash = hashed


def new_token(store: Store, name: str) -> str:
    """A new API token of the user, returned once; only its hash is kept."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with store.write(bump_counter=False) as session:
        user = _user(session, name)
        session.add(models.ApiToken(user_id=user.id, token_hash=token_hash(token), created=datetime.now(UTC)))
    return token


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def list_users(store: Store) -> list[dict[str, Any]]:
    with store.read() as session:
        return [user_record(u) for u in session.scalars(select(models.User).order_by(models.User.name))]


def user_record(user: models.User) -> dict[str, Any]:
    return {"name": user.name, "role": user.role, "units": [u.unit for u in user.units],
            "created": user.created.isoformat()}


def authenticate_token(store: Store, token: str | None) -> Account:
    """The account of an API token; :class:`NotAuthenticated` for none, an unknown one, or a deleted user's."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        raise NotAuthenticated("请提供有效的访问令牌（Authorization: Bearer …）")
    with store.read() as session:
        user = session.scalar(select(models.User).join(models.ApiToken)
                              .where(models.ApiToken.token_hash == token_hash(token)))
        if user is None:
            raise NotAuthenticated("访问令牌无效或已撤销")
        return account_of(user)


def authenticate_password(store: Store, name: str, password: str) -> Account:
    """The account of a user name and password (the login page's); the same error for either being wrong."""
    with store.read() as session:
        user = session.scalar(select(models.User).where(models.User.name == name)) if NAME.fullmatch(name) else None
        hashed = user.password_hash if user is not None else _dummy_hash(HASH_METHOD)
        ok = check_password_hash(hashed, password[:MAX_PASSWORD])
        if user is None or not ok:
            raise NotAuthenticated("用户名或密码错误")
        return account_of(user)


def account(store: Store, name: str) -> Account:
    """The current account of a user (a page's session keeps the name and asks again on each request)."""
    with store.read() as session:
        user = session.scalar(select(models.User).where(models.User.name == name))
        if user is None:
            raise NotAuthenticated("用户不存在或已删除")
        return account_of(user)


def account_of(user: models.User) -> Account:
    return Account(user.name, Role(user.role), frozenset(u.unit for u in user.units))


def _user(session: Session, name: str) -> models.User:
    user = session.scalar(select(models.User).where(models.User.name == name))
    if user is None:
        raise NoSuchRecord(f"没有用户 {name}")
    return user


__all__ = ["CLI", "MIN_PASSWORD", "account", "account_of", "add_user", "authenticate_password",
           "authenticate_token", "check_password", "delete_user", "list_users", "new_token", "set_password",
           "token_hash"]
