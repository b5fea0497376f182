"""The supervision JSON API and commands on both backends: bearer tokens only (never the session cookie), the one
error shape with HTTP's statuses, ETags, and what an attacker tries by URL, body, header and upload."""

from __future__ import annotations

import io
import json
from urllib.parse import quote

import pytest

from layers.storage import accounts, models
from layers.storage import supervision as sv_
from tests.layers.storage.test_supervision import INJECTIONS, PDF, PNG, _count
from webmap import create_app
from webmap.cli import main


@pytest.fixture()
def api(desk, database_url, tmp_path):
    app = create_app({"TESTING": True, "GOVMAP_LAZY": True, "GOVMAP_DATABASE_URL": database_url,
                      "GOVMAP_DATA_DIR": str(tmp_path / "data"), "GOVMAP_MAX_ATTACHMENT_MB": 0.01,
                      "SECRET_KEY": "test"})
    client = app.test_client()
    tokens = {name: accounts.new_token(desk.sv.store, name) for name in ("alice", "bob", "carol", "dave")}

    def call(method, url, who=None, *, headers=None, **kwargs):
        headers = dict(headers or {})
        if who is not None:
            headers["Authorization"] = f"Bearer {tokens[who]}"
        return client.open(url, method=method, headers=headers, **kwargs)

    call.client, call.tokens, call.desk = client, tokens, desk
    yield call
    app.extensions["govmap"].close()


def _draft(api, who="alice", **fields):
    desk = api.desk
    body = {"assignment": desk.a if who == "alice" else desk.b, "year": 2025, "quarter": 1, "progress": 30,
            "status": "推进中", **fields}
    return api("POST", "/api/reports", who, json=body)


def _is_error(response, status, code=None):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"code", "description"} and body["description"]
    assert code is None or body["code"] == code
    return body


# -- authentication ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer "}, {"Authorization": "Basic YWxpY2U6eA=="},
                                     {"Authorization": "Bearer gm_not-a-token"},
                                     {"Authorization": "Bearer ' OR 1=1 --"}],
                         ids=["none", "empty", "basic", "unknown", "injection"])
def test_no_valid_token_is_401_in_the_json_shape(api, headers):
    response = api("GET", "/api/assignments?year=2025", headers=headers)
    _is_error(response, 401, "NotAuthenticated")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_every_api_route_asks_for_a_token_before_anything_else(api):
    import re

    routes = [(re.sub(r"<(?:\w+:)?\w+>", "1", rule.rule), method)
              for rule in api.client.application.url_map.iter_rules() if rule.rule.startswith("/api/")
              for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    assert len(routes) >= 15 and ("/api/deadlines/1/1", "PUT") in routes and ("/api/lights", "GET") in routes
    sv_.open_window(api.desk.sv, api.desk.dave, year=2025, quarter=1)
    existing = _draft(api).get_json()["id"]
    for url, method in routes:
        _is_error(api(method, url.replace("/1", f"/{existing}", 1), json={"deadline": "2025-03-01"}), 401)


def test_the_session_cookie_is_never_accepted(api):
    with api.client.session_transaction() as session:  # what a logged-in page's session could hold
        session.update({"_user_id": "dave", "user": "dave", "account": "dave", "_fresh": True})
    _is_error(api("GET", "/api/assignments?year=2025"), 401)
    _is_error(api("POST", "/api/reports", json={"assignment": api.desk.a, "year": 2025, "quarter": 1}), 401)


def test_a_token_in_the_url_is_not_accepted(api):
    _is_error(api("GET", f"/api/assignments?year=2025&access_token={api.tokens['alice']}"), 401)


def test_a_deleted_users_token_fails(api):
    assert api("GET", "/api/assignments?year=2025", "bob").status_code == 200
    accounts.delete_user(api.desk.sv.store, "bob")
    _is_error(api("GET", "/api/assignments?year=2025", "bob"), 401)


# -- reports ----------------------------------------------------------------------------------------------------
def test_post_gives_201_with_the_report_and_an_etag(api):
    response = _draft(api)
    assert response.status_code == 201 and response.headers["ETag"] == '"v1"'
    report = response.get_json()
    assert response.headers["Location"] == f"/api/reports/{report['id']}"
    assert (report["state"], report["assignment"], report["progress"]) == ("draft", api.desk.a, 30.0)
    [mine] = api("GET", "/api/assignments?year=2025", "alice").get_json()
    assert [r["id"] for r in mine["reports"]] == [report["id"]]
    again = api("GET", f"/api/reports/{report['id']}", "alice")
    assert again.headers["ETag"] == '"v1"' and again.headers["Cache-Control"] == "no-store"


def test_markup_comes_back_as_a_json_string_not_html(api):
    markup = '<script>alert("x")</script><b onmouseover=alert(1)>'
    response = _draft(api, done=markup)
    raw = response.get_data(as_text=True)
    assert response.mimetype == "application/json" and response.headers["X-Content-Type-Options"] == "nosniff"
    assert json.loads(raw)["done"] == markup and "&lt;" not in raw and "<html" not in raw.lower()
    assert api("GET", f"/api/reports/{response.get_json()['id']}", "alice").get_json()["done"] == markup


def test_edits_with_if_match_or_version(api):
    report = _draft(api).get_json()
    url = f"/api/reports/{report['id']}"
    first = api("PUT", url, "alice", json={"progress": 40}, headers={"If-Match": '"v1"'})
    assert first.status_code == 200 and first.headers["ETag"] == '"v2"'
    _is_error(api("PUT", url, "alice", json={"progress": 50}, headers={"If-Match": '"v1"'}), 412,
              "PreconditionFailed")
    _is_error(api("PUT", url, "alice", json={"progress": 50, "version": 1}), 409, "Conflict")
    _is_error(api("PUT", url, "alice", json={"progress": 50}), 422)
    _is_error(api("PUT", url, "alice", json={"progress": 50}, headers={"If-Match": 'W/"v2"'}), 412)
    assert api("PUT", url, "alice", json={"progress": 50, "version": 2}).get_json()["progress"] == 50


def test_submit_approve_and_return_by_api(api):
    report = _draft(api).get_json()
    url = f"/api/reports/{report['id']}"
    _is_error(api("POST", f"{url}/submit", "alice"), 409)  # no window yet
    sv_.open_window(api.desk.sv, api.desk.dave, year=2025, quarter=1)
    assert api("POST", f"{url}/submit", "alice").get_json()["state"] == "submitted"
    _is_error(api("POST", f"{url}/approve", "alice"), 403, "Forbidden")
    _is_error(api("POST", f"{url}/return", "carol", json={}), 409)
    returned = api("POST", f"{url}/return", "carol", json={"comment": "<i>请补充</i>"})
    assert returned.get_json()["comment"] == "<i>请补充</i>"
    api("POST", f"{url}/submit", "alice")
    assert api("POST", f"{url}/approve", "dave").get_json()["state"] == "approved"
    actions = [e["action"] for e in api("GET", f"{url}/events", "bob").get_json()]
    assert actions == ["create", "submit", "return", "submit", "approve"]


def test_a_stale_transition_is_412_with_if_match_and_409_with_a_version(api):
    report = _draft(api).get_json()
    url = f"/api/reports/{report['id']}"
    sv_.open_window(api.desk.sv, api.desk.dave, year=2025, quarter=1)
    api("PUT", url, "alice", json={"progress": 35}, headers={"If-Match": '"v1"'})  # now v2
    _is_error(api("POST", f"{url}/submit", "alice", headers={"If-Match": '"v1"'}), 412, "PreconditionFailed")
    _is_error(api("POST", f"{url}/submit", "alice", json={"version": 1}), 409, "Conflict")
    submitted = api("POST", f"{url}/submit", "alice", headers={"If-Match": '"v2"'})
    assert submitted.status_code == 200 and submitted.headers["ETag"] == '"v3"'
    approved = api("POST", f"{url}/approve", "carol", headers={"If-Match": '"v3"'})
    assert approved.get_json()["state"] == "approved"
    # the other reviewer returns what they read at v3: refused, the approval stands
    _is_error(api("POST", f"{url}/return", "dave", json={"comment": "请补充"}, headers={"If-Match": '"v3"'}), 412)
    _is_error(api("POST", f"{url}/return", "dave", json={"comment": "请补充", "version": 3}), 409)
    assert api("GET", url, "alice").get_json()["state"] == "approved"


def test_roll_ups_by_task_section_unit_and_township_by_api(api, gazetteer):
    desk = api.desk
    sv_.open_window(desk.sv, desk.dave, year=2025, quarter=1)
    report = _draft(api, "bob", progress=100, status="已完成").get_json()
    api("POST", f"/api/reports/{report['id']}/submit", "bob")
    found = api("GET", "/api/lights?year=2025&quarter=1&on=2025-03-20", "carol").get_json()
    bob_task = desk.b.split(":")[0]
    mine = [a for a in found["assignments"] if a["task"] == bob_task]
    assert {a["unit"]: a["light"] for a in mine} == {"文旅局": "yellow", "温泉街道": "green"}
    assert found["units"]["温泉街道"] == {"light": "green", "light_label": "绿", "total": 1,
                                       "counts": {"green": 1, "yellow": 0, "red": 0}}
    assert found["tasks"][bob_task]["light"] == "yellow" and found["tasks"][bob_task]["counts"]["green"] == 1
    [section] = found["sections"].values()
    assert section["total"] == len(found["tasks"]) == 3 and section["counts"]["yellow"] == 3
    wenquan, xiangyanghu = (found["townships"][gazetteer.unit(name).id] for name in ("温泉街道", "向阳湖镇"))
    assert (wenquan["total"], wenquan["counts"]["yellow"]) == (2, 2)  # tasks 1 (各乡镇办场) and 3, both yellow
    assert xiangyanghu["total"] == 2 and gazetteer.unit("贺胜桥镇").id in found["townships"]  # 1 and 2
    assert sum(r["total"] for r in found["units"].values()) == len(found["assignments"])


def test_lights_and_windows_by_api(api):
    lights = api("GET", "/api/lights?year=2025&quarter=1&on=2025-03-01", "bob").get_json()
    assert len(lights["assignments"]) == 7 and {"tasks", "sections", "units", "townships"} <= set(lights)
    _is_error(api("GET", "/api/lights?year=2025&quarter=1&on=yesterday", "bob"), 422)
    assert api("GET", "/api/windows?year=2025", "bob").get_json() == []


def test_deadlines_by_api_admins_only(api):
    url = "/api/deadlines/2025/" + quote("第3项")
    _is_error(api("PUT", url, json={"deadline": "2025-03-01"}), 401)
    for who in ("alice", "bob", "carol"):
        _is_error(api("PUT", url, who, json={"deadline": "2025-03-01"}), 403, "Forbidden")
        _is_error(api("DELETE", url, who), 403)
        _is_error(api("PUT", url, who, json={"deadline": "nonsense"}), 403)  # who before what
    set_ = api("PUT", url, "dave", json={"deadline": "2025-03-01"})
    assert set_.status_code == 200 and set_.get_json()["deadline"] == "2025-03-01" and set_.get_json()["label"] == "第3项"
    lights = api("GET", "/api/lights?year=2025&quarter=1&on=2025-03-20", "bob").get_json()
    assert lights["tasks"][set_.get_json()["task"]]["light"] == "red"
    listed = api("GET", "/api/deadlines?year=2025", "alice").get_json()
    assert [d["deadline"] for d in listed] == [None, None, "2025-03-01"]
    _is_error(api("PUT", "/api/deadlines/2025/99", "dave", json={"deadline": "2025-03-01"}), 404, "NotFound")
    _is_error(api("PUT", "/api/deadlines/1800/3", "dave", json={"deadline": "2025-03-01"}), 422)
    for body in ({"deadline": "2025-02-30"}, {"deadline": 20250301}, {}, {"deadline": None}):
        _is_error(api("PUT", url, "dave", json=body), 422, "InvalidValue")
    _is_error(api("PUT", url, "dave", data="deadline=2025-03-01"), 422)
    cleared = api("DELETE", f"/api/deadlines/2025/{set_.get_json()['task']}", "dave")
    assert cleared.status_code == 200 and cleared.get_json()["deadline"] is None
    _is_error(api("GET", "/api/deadlines", "dave"), 422)


def test_deadlines_commands(desk, database_url, tmp_path, capsys, monkeypatch):
    base = ["--data-dir", str(tmp_path / "data"), "--database", database_url]
    code, out, _ = _run(capsys, monkeypatch, [*base, "deadlines", "set", "第3项", "2025-03-01", "--year", "2025"])
    assert code == 0 and (json.loads(out)["deadline"], json.loads(out)["set_by"]) == ("2025-03-01", "@cli")
    code, out, _ = _run(capsys, monkeypatch, [*base, "deadlines", "list", "--year", "2025"])
    assert code == 0 and [d["deadline"] for d in json.loads(out)] == [None, None, "2025-03-01"]
    for argv, message in ((["set", "9", "2025-03-01", "--year", "2025"], "2025年的方案中没有“9”这项任务"),
                          (["set", "3", "三月底", "--year", "2025"], "完成时限应为日期"),
                          (["set", "3", "2024-03-01", "--year", "2025"], "完成时限应在 2025 年"),
                          (["clear", "目标1", "--year", "2025"], "没有“目标1”这项任务")):
        code, out, err = _run(capsys, monkeypatch, [*base, "deadlines", *argv])
        assert (code, out) == (1, "") and message in err and "Traceback" not in err
    with pytest.raises(SystemExit) as exited:
        main([*base, "deadlines", "list", "--year", "明年"])
    assert exited.value.code == 2 and "“明年”不是年份" in capsys.readouterr().err
    code, out, _ = _run(capsys, monkeypatch, [*base, "deadlines", "clear", "3", "--year", "2025"])
    assert code == 0 and json.loads(out)["deadline"] is None and json.loads(out)["deadline_set"] is False


# -- an attacker ------------------------------------------------------------------------------------------------
def test_another_units_draft_is_404_by_every_route(api):
    report = _draft(api).get_json()
    url = f"/api/reports/{report['id']}"
    for method, path, kwargs in (("GET", url, {}), ("GET", f"{url}/events", {}),
                                 ("PUT", url, {"json": {"progress": 99, "version": 1}}),
                                 ("POST", f"{url}/submit", {}),
                                 ("POST", f"{url}/attachments", {"data": {"file": (io.BytesIO(PDF), "a.pdf")}})):
        _is_error(api(method, path, "bob", **kwargs), 404, "NotFound")
    assert api("GET", f"/api/reports?assignment={api.desk.a}", "bob").get_json() == []
    assert api("GET", "/api/reports", "bob").get_json() == []
    assert api("GET", url, "alice").get_json()["progress"] == 30


def test_guessing_ids_by_api_finds_nothing(api):
    mine = _draft(api, "bob").get_json()["id"]
    _draft(api)
    found = [n for n in range(1, 30) if api("GET", f"/api/reports/{n}", "bob").status_code == 200]
    assert found == [mine]
    for path in ("/api/reports/abc", "/api/reports/-1", "/api/reports/1%20OR%201=1", "/api/attachments/0"):
        _is_error(api("GET", path, "bob"), 404)


def test_changing_the_assignment_in_a_post_or_put(api):
    stolen = {"assignment": api.desk.a, "year": 2025, "quarter": 1, "progress": 10}
    _is_error(api("POST", "/api/reports", "bob", json=stolen), 403, "Forbidden")
    mine = _draft(api, "bob").get_json()
    _is_error(api("PUT", f"/api/reports/{mine['id']}", "bob", json={"assignment": api.desk.a, "version": 1}), 422)
    _is_error(api("PUT", f"/api/reports/{mine['id']}", "bob", json={"unit": "向阳湖镇", "version": 1}), 422)
    assert api("GET", f"/api/reports/{mine['id']}", "bob").get_json()["assignment"] == api.desk.b


@pytest.mark.parametrize("who", ["carol", "dave"])
def test_an_admin_or_reviewer_cannot_post_a_report(api, who):
    _is_error(api("POST", "/api/reports", who, json={"assignment": api.desk.a, "year": 2025, "quarter": 1}), 403)


@pytest.mark.parametrize("injection", INJECTIONS)
def test_sql_injection_in_every_parameter_does_nothing(api, injection):
    report = _draft(api).get_json()
    for name in ("year", "quarter", "assignment", "unit"):
        response = api("GET", "/api/reports", "carol", query_string={name: injection})
        assert response.status_code in (200, 422) and (response.status_code == 422 or response.get_json() == [])
    for query in ({"year": injection}, {"year": 2025, "unit": injection}):
        response = api("GET", "/api/assignments", "carol", query_string=query)
        assert response.status_code in (200, 422) and (response.status_code == 422 or response.get_json() == [])
    response = api("GET", "/api/lights", "carol", query_string={"year": 2025, "quarter": injection})
    _is_error(response, 422)
    for body in ({"assignment": injection, "year": 2025, "quarter": 2}, {"assignment": api.desk.a, "year": injection,
                                                                        "quarter": 2}):
        assert api("POST", "/api/reports", "alice", json=body).status_code in (404, 422)
    edited = api("PUT", f"/api/reports/{report['id']}", "alice", json={"done": injection, "status": "推进中"},
                 headers={"If-Match": '"v1"'})
    assert edited.get_json()["done"] == injection
    _is_error(api("PUT", f"/api/reports/{report['id']}", "alice", json={"status": injection, "version": 2}), 422)
    _is_error(api("PUT", f"/api/reports/{report['id']}", "alice", json={"progress": 1},
                  headers={"If-Match": injection}), 412)
    assert _count(api.desk.sv.store, models.Report) == 1 and _count(api.desk.sv.store, models.User) == 4


def test_attachments_by_api(api):
    report = _draft(api).get_json()
    url = f"/api/reports/{report['id']}/attachments"
    created = api("POST", url, "alice", data={"file": (io.BytesIO(PDF), "进展 说明.pdf")})
    assert created.status_code == 201
    record = created.get_json()
    download = api("GET", f"/api/attachments/{record['id']}", "carol")
    assert download.status_code == 200 and download.data == PDF and download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    download.close()
    _is_error(api("GET", f"/api/attachments/{record['id']}", "bob"), 404)
    _is_error(api("GET", f"/api/attachments/{record['id']}"), 401)
    _is_error(api("POST", url, "alice", data={"file": (io.BytesIO(b"MZ\x90\x00" * 8), "setup.pdf")}), 422)
    _is_error(api("POST", url, "alice", data={"file": (io.BytesIO(b"<html><script>x</script>"), "a.png")}), 422)
    _is_error(api("POST", url, "alice", data={"file": (io.BytesIO(PNG + b"\x00" * 20_000), "big.png")}), 413)
    _is_error(api("POST", url, "alice", data={"other": (io.BytesIO(PDF), "a.pdf")}), 422)
    assert _count(api.desk.sv.store, models.Attachment) == 1


def test_unknown_api_urls_answer_in_json(api):
    _is_error(api("GET", "/api/nothing", "alice"), 404)
    _is_error(api("DELETE", "/api/reports/1", "alice"), 405)


# -- commands ---------------------------------------------------------------------------------------------------
def _run(capsys, monkeypatch, argv, stdin=""):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_users_and_windows_commands(desk, database_url, tmp_path, capsys, monkeypatch):
    base = ["--data-dir", str(tmp_path / "data"), "--database", database_url]
    code, out, _ = _run(capsys, monkeypatch, [*base, "users", "add", "eve", "--role", "reporter", "--unit",
                                              "区水利湖泊局", "--unit", "向阳湖镇"], "eve-的-口令-123456\n")
    assert code == 0 and json.loads(out)["units"] == ["向阳湖镇", "水利湖泊局"]
    code, _, err = _run(capsys, monkeypatch, [*base, "users", "add", "mallory", "--role", "admin"], "short\n")
    assert code == 1 and "至少" in err
    code, _, err = _run(capsys, monkeypatch, [*base, "users", "add", "mallory", "--role", "admin"], "")
    assert code == 1 and "至少" in err
    code, _, err = _run(capsys, monkeypatch, [*base, "users", "add", "zed", "--role", "reporter", "--unit", "火星局"],
                        "long-enough-password\n")
    assert code == 1 and "没有这个单位：火星局" in err
    code, out, _ = _run(capsys, monkeypatch, [*base, "users", "token", "eve"])
    token = out.strip()
    assert code == 0 and accounts.authenticate_token(desk.sv.store, token).name == "eve"
    code, out, _ = _run(capsys, monkeypatch, [*base, "users", "list"])
    assert code == 0 and "eve" in [u["name"] for u in json.loads(out)] and "hash" not in out and token not in out
    code, out, _ = _run(capsys, monkeypatch, [*base, "windows", "open", "2025", "1", "--closes", "2099-04-10"])
    assert code == 0 and json.loads(out)["state"] == "open" and json.loads(out)["opened_by"] == "@cli"
    code, out, _ = _run(capsys, monkeypatch, [*base, "windows", "close", "2025", "1"])
    assert code == 0 and json.loads(out)["state"] == "closed"
    code, out, _ = _run(capsys, monkeypatch, [*base, "windows", "list", "--year", "2025"])
    assert [w["quarter"] for w in json.loads(out)] == [1]
    code, _, err = _run(capsys, monkeypatch, [*base, "windows", "close", "2025", "2"])
    assert code == 1 and "尚未开放" in err
    code, out, _ = _run(capsys, monkeypatch, [*base, "users", "delete", "eve"])
    assert code == 0 and accounts.list_users(desk.sv.store)[-1]["name"] != "eve"
    with pytest.raises(Exception):
        accounts.authenticate_token(desk.sv.store, token)
