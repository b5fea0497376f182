"""A supervised district for the page and browser tests: the fixture plan (甲安区, 2025) stored in a throwaway SQLite
database, the app serving it with supervision on, and accounts made in the test (admin, reviewer, two reporters)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from gazetteer.model import Document
from geodata import deployment as deployments
from layers.storage import accounts
from layers.storage.database import Store
from layers.storage.ingest import Incoming, ingest
from layers.storage.supervision import Supervision
from tests.webmap.browser import DOCUMENT_TEXT, make_app, fixture_gazetteer

PASSWORD = "甲安区测试口令-2025"
#: name → (role, units); ``bh`` reports for every unit of task t1, so that its light can turn green
USERS = {"dcs": ("admin", ()), "sh": ("reviewer", ()), "bh": ("reporter", ("北湖镇", "北湖农场", "自然资源和规划局")),
         "dq": ("reporter", ("东桥镇",))}


def supervised_app(folder: Path) -> Any:
    """The app over a new database in ``folder`` holding the fixture plan and the accounts of :data:`USERS`."""
    from webmap.state import _state

    store = Store(f"sqlite:///{folder / 'govmap.sqlite'}")
    store.ensure()
    deployment, gazetteer = deployments.load(), fixture_gazetteer()
    document = Document("fixture_001", "甲安区2025年主要目标任务责任分解方案", DOCUMENT_TEXT, "utf-8")
    ingest(store, [Incoming(document, "fixture_001.txt", 2025)], deployment=deployment, gazetteer=gazetteer)
    for name, (role, units) in USERS.items():
        accounts.add_user(store, name, role=role, password=PASSWORD, units=units)
    app = make_app(_state(store, deployment, gazetteer, None), GOVMAP_DATA_DIR=str(folder))
    app.extensions["govmap-supervision"] = Supervision.of(store, deployment, data_dir=folder)
    return app


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def sign_in(client, name: str) -> None:
    token = csrf_of(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"name": name, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)


def token(client, url: str = "/me/") -> str:
    return csrf_of(client.get(url).get_data(as_text=True))


def report_task(app: Any, task_id: str, *, reporter: str, status: str, progress: float, approve: bool = True,
                year: int = 2025, quarter: int = 4) -> list[dict[str, Any]]:
    """Through the service, as the pages do: ``reporter`` reports every assignment of ``task_id`` it holds (the
    quarter's window must be open) and, with ``approve``, the reviewer ``sh`` approves them."""
    from layers.storage import supervision as service

    sv = app.extensions["govmap-supervision"]
    unit, reviewer = accounts.account(sv.store, reporter), accounts.account(sv.store, "sh")
    reports = []
    for assignment in service.assignments_for(sv, unit, year=year):
        if assignment["task_id"] == task_id:
            report = service.create_report(sv, unit, assignment=assignment["id"], year=year, quarter=quarter,
                                           progress=progress, status=status, done=f"{assignment['unit_name']}报送")
            report = service.submit_report(sv, unit, report["id"])
            reports.append(service.approve_report(sv, reviewer, report["id"]) if approve else report)
    assert reports, f"{reporter} holds no assignment of {task_id}"
    return reports


def open_quarter(app: Any, *, year: int = 2025, quarter: int = 4) -> None:
    """The admin ``dcs`` opens the quarter's reporting window, through the service."""
    from layers.storage import supervision as service

    sv = app.extensions["govmap-supervision"]
    service.open_window(sv, accounts.account(sv.store, "dcs"), year=year, quarter=quarter)
