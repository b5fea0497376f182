"""Fixtures for the webmap page and browser tests, imported by name into each test module.

* :func:`fixture_corpus` — a small district (甲安区) read by the real pipeline from a short 责任分解方案 whose text
  and place names carry script-injection payloads, so every page and map is checked for escaping;
* ``fixture_app`` / ``fixture_client`` — the app serving that corpus (the real app factory; only the state differs);
* ``live_server`` — that app on a loopback port in a thread;
* ``chromium_browser`` / ``chromium_page`` — headless Debian Chromium via Playwright;
* :func:`screenshot_dir` — ``$GOVMAP_SCREENSHOTS`` or a temporary folder.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import LineString, Point, Polygon

from gazetteer.corpus import Corpus, build_corpus
from gazetteer.model import Document, Kind, Place, Quality
from gazetteer.places.registry import Gazetteer
from geodata import deployment

#: Payloads that must come out as text everywhere.
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
TEMPLATE = "${alert(1)}"
PAYLOADS = (SCRIPT, IMG, TEMPLATE)

XSS_SITE = f"{IMG}园"
XSS_LAKE = f"{SCRIPT}湖"

COUNTY = Place("c1", "甲安区", Kind.COUNTY, aliases=("甲安",),
               geometry=Polygon([(114.0, 29.6), (114.8, 29.6), (114.8, 30.1), (114.0, 30.1)]),
               quality=Quality.OPEN_DATA, source="测试数据")
TOWN_A = Place("c1-a", "北湖镇", Kind.TOWN, aliases=("北湖镇人民政府",), parents=("c1",),
               geometry=Polygon([(114.05, 29.85), (114.28, 29.85), (114.28, 30.05), (114.05, 30.05)]),
               quality=Quality.SURVEYED, source="用户导入：乡镇界线.gpkg")
TOWN_B = Place("c1-b", "东桥镇", Kind.TOWN, aliases=("东桥",), parents=("c1",), geometry=Point(114.48, 29.92),
               quality=Quality.SEAT, source="GeoNames")
SUB = Place("c1-s", "西山街道", Kind.SUBDISTRICT, aliases=("西山街道办事处",), parents=("c1",),
            geometry=Point(114.31, 29.76), quality=Quality.SEAT, source="GeoNames")
FARM = Place("c1-f", "北湖农场", Kind.FARM, parents=("c1",), geometry=Point(114.20, 29.95),
             quality=Quality.SEAT, source="GeoNames")
ZONE = Place("c1-z", "甲安开发区", Kind.ZONE, parents=("c1",), geometry=Point(114.40, 29.70),
             quality=Quality.SEAT, source="GeoNames")
LAKE = Place("lake-beihu", "北湖", Kind.LAKE, parents=("c1-a", "c1-f"),
             geometry=Polygon([(114.15, 29.92), (114.22, 29.92), (114.22, 29.97), (114.15, 29.97)]),
             quality=Quality.OPEN_DATA, source="OpenStreetMap")
RIVER = Place("river-qingxi", "清溪河", Kind.RIVER, parents=("c1-a", "c1-b"),
              geometry=LineString([(114.10, 29.88), (114.30, 29.90), (114.50, 29.94)]),
              quality=Quality.OPEN_DATA, source="OpenStreetMap")
ROAD = Place("road-g1", "G1国道", Kind.ROAD, aliases=("G1", "1国道"), parents=("c1",),
             geometry=LineString([(114.16, 29.90), (114.31, 29.76), (114.48, 29.92)]),
             quality=Quality.SCHEMATIC, source="示意：沿途乡镇驻地")
PROJECT = Place("project-qingxi", "清溪河治理工程", Kind.PROJECT, parents=("c1-a", "c1-b"),
                geometry=RIVER.geometry, quality=Quality.DERIVED, source="推导：清溪河", derived_from=("river-qingxi",))
VILLAGE = Place("c1-b-gaopu", "高铺村", Kind.VILLAGE, parents=("c1-b",), geometry=Point(114.48, 29.92),
                quality=Quality.ADMIN_FALLBACK, source="兜底：东桥镇")
SITE_XSS = Place("site-xss", XSS_SITE, Kind.SITE, aliases=(f"{TEMPLATE}园",), parents=("c1-b",),
                 geometry=Point(114.55, 29.98), quality=Quality.OPEN_DATA, source=SCRIPT)
LAKE_XSS = Place("lake-xss", XSS_LAKE, Kind.LAKE, parents=("c1-s",),
                 geometry=Polygon([(114.33, 29.73), (114.37, 29.73), (114.37, 29.76), (114.33, 29.76)]),
                 quality=Quality.OPEN_DATA, source=IMG, note=TEMPLATE)
PLACES = (COUNTY, TOWN_A, TOWN_B, SUB, FARM, ZONE, LAKE, RIVER, ROAD, PROJECT, VILLAGE, SITE_XSS, LAKE_XSS)

DOCUMENT_TEXT = f"""甲安区2025年主要目标任务责任分解方案
一、2025年全区经济社会发展主要预期目标
(一)地区生产总值增长7%以上。(责任领导:常务副区长;牵头单位:区发改局;责任单位:各乡镇办场、甲安开发区)
二、2025年“两大行动”重点工作
(一)实施生态修复行动,守护绿水青山。
治理湖泊河流。
1.推进北湖生态修复,新增耕地不低于4000亩。(责任领导:张三;牵头单位:区自然资源和规划局;责任单位:北湖镇、北湖农场)
2.实施清溪河治理工程,治理河道12公里。(责任领导:李四;牵头单位:区水利和湖泊局;责任单位:相关乡镇办场)
3.办好{XSS_SITE}和{XSS_LAKE},完成投资{TEMPLATE}3亿元。(责任领导:张三;牵头单位:区文旅局;责任单位:各乡镇办)
(二)实施城乡融合行动,建设美丽乡村。
4.改造G1国道东桥至西山段,建设高铺村示范点12个。(责任领导:王五;牵头单位:区交通运输局;责任单位:东桥镇、西山街道)
5.{SCRIPT}推动企业上市{IMG}。(责任领导:李四;牵头单位:区发改局{IMG};责任单位:甲安开发区)
"""


def fixture_gazetteer() -> Gazetteer:
    return Gazetteer(PLACES, home="c1", deployment=deployment.load())


def fixture_corpus() -> Corpus:
    """The small district read by the real pipeline."""
    document = Document("fixture_001", "甲安区2025年主要目标任务责任分解方案", DOCUMENT_TEXT, "utf-8")
    return build_corpus(fixture_gazetteer(), [document])


class _FixedState:
    """Stands in for the app's state holder: always the given state."""

    def __init__(self, state: Any) -> None:
        self._state = state

    def get(self) -> Any:
        return self._state


def make_app(state: Any, **config: Any) -> Any:
    """The real app factory, serving ``state`` instead of the bundled texts."""
    from webmap import create_app

    app = create_app({"TESTING": True, "GOVMAP_LAZY": True, **config})
    app.extensions["govmap"] = _FixedState(state)
    return app


@pytest.fixture(scope="session")
def fixture_state() -> Any:
    from layers.catalogue import Catalogue
    from webmap.state import State

    corpus = fixture_corpus()
    return State(corpus=corpus, catalogue=Catalogue(corpus))


@pytest.fixture(scope="session")
def fixture_app(fixture_state: Any) -> Any:
    return make_app(fixture_state)


@pytest.fixture()
def fixture_client(fixture_app: Any) -> Any:
    return fixture_app.test_client()


@pytest.fixture(scope="session")
def live_server(fixture_app: Any) -> Iterator[str]:
    """The fixture app on 127.0.0.1 (a free port) in a thread; yields its base URL without a trailing slash."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, fixture_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="govmap-live", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                 "--no-first-run", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class PageLog:
    """What a page did: every request URL, console errors, page errors and dialogs."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.dialogs: list[str] = []


@pytest.fixture()
def chromium_page(chromium_browser: Any) -> Iterator[tuple[Any, PageLog]]:
    """A fresh page (1280×800, zh-CN) with a :class:`PageLog` attached."""
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN",
                                           device_scale_factor=1)
    tab = context.new_page()
    log = PageLog()
    tab.on("request", lambda request: log.requests.append(request.url))
    tab.on("console", lambda msg: log.console_errors.append(msg.text) if msg.type == "error" else None)
    tab.on("pageerror", lambda exc: log.page_errors.append(str(exc)))

    def on_dialog(dialog: Any) -> None:
        log.dialogs.append(dialog.message)
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    try:
        yield tab, log
    finally:
        context.close()


def screenshot_dir() -> Path:
    """``$GOVMAP_SCREENSHOTS`` if set, else a temporary folder kept for the session."""
    configured = os.environ.get("GOVMAP_SCREENSHOTS")
    folder = Path(configured) if configured else Path(tempfile.gettempdir()) / "govmap-screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
