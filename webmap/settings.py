"""Every setting of the web app, with its default and help text (the README lists each; a test checks)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Setting:
    default: Any
    help: str


DEFAULTS: dict[str, Setting] = {
    "GOVMAP_DEPLOYMENT": Setting(None, "Folder of the deployment to serve (made by `govmap init`); default: "
                                       "$GOVMAP_DEPLOYMENT, else the bundled 咸安区."),
    "GOVMAP_TEXTS": Setting(None, "List of text files to read; default: the deployment's texts."),
    "GOVMAP_DATA_DIR": Setting(None, "Folder of the user's imported geometry; default: $GOVMAP_DATA_DIR or "
                                     "~/.local/share/govmap/<adcode>."),
    "GOVMAP_DATABASE_URL": Setting(None, "Database URL (`sqlite:///FILE`, `postgresql+psycopg://…`); default: "
                                         "$GOVMAP_DATABASE_URL, else `govmap.sqlite` in the data folder."),
    "GOVMAP_DB_CHECK_SECONDS": Setting(2.0, "How often (seconds) a request checks whether the database changed "
                                            "(another process ingested or imported) and the app reloads."),
    "GOVMAP_TIANDITU_KEY": Setting("", "Tianditu (天地图) API key; the Tianditu basemap is offered only when set."),
    "GOVMAP_SECRET_KEY": Setting(None, "Key that signs session cookies and CSRF tokens; default: one generated once "
                                       "and kept in the data folder (`secret_key`, mode 0600)."),
    "GOVMAP_SECURE_COOKIES": Setting(False, "Send the session cookie only over HTTPS (set it when served behind "
                                            "HTTPS)."),
    "GOVMAP_LAZY": Setting(False, "Build the gazetteer and corpus on first use instead of at start-up."),
    "GOVMAP_PAGE_LIMIT": Setting(100, "Default number of items per page in the OGC API."),
    "GOVMAP_MAX_LIMIT": Setting(10000, "Largest `limit` the OGC API accepts."),
    "GOVMAP_MAX_ATTACHMENT_MB": Setting(10, "Largest attachment of a supervision report (megabytes); larger "
                                            "uploads are refused with 413."),
}
