"""Two years of a small made-up plan, ingested with ``govmap ingest --year`` into an SQLite file: the ``plans_app``
fixture (import it by name) of the plans-by-year tests."""

from __future__ import annotations

import pytest

from tests.layers.storage.plans_text import PLAN_2025, PLAN_2026
from tests.webmap.browser import SCRIPT
from webmap import create_app
from webmap.cli import main

#: 2026 (tests/layers/storage/plans_text.py): task 1 carried over, task 2 changed in its responsibility, 2025's
#: task 3 dropped, task 3 new, here with a script in its words, which every page must show as text.
PLAN_2026 = PLAN_2026.replace("30公里,", f"30公里{SCRIPT},")
assert SCRIPT in PLAN_2026


@pytest.fixture(scope="module")
def plans_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("plans")
    url = f"sqlite:///{folder / 'govmap.sqlite'}"
    # file names without a year: --year says which plan each is
    (folder / "方案甲.txt").write_text(PLAN_2025.replace("2025年咸安区", "咸安区"), encoding="utf-8")
    (folder / "方案乙.txt").write_text(PLAN_2026, encoding="utf-8")
    base = ["--data-dir", str(folder / "data"), "--database", url]
    assert main([*base, "ingest", str(folder / "方案甲.txt"), "--year", "2025"]) == 0
    assert main([*base, "ingest", str(folder / "方案乙.txt"), "--year", "2026"]) == 0
    app = create_app({"TESTING": True, "GOVMAP_DATA_DIR": str(folder / "data"), "GOVMAP_DATABASE_URL": url})
    yield app
    app.extensions["govmap"].close()
