"""Deployments: the unit govmap serves, described by data — a folder with one settings file.

A deployment is a county-level unit (区, 县, 县级市, 旗) or a prefecture-level city, whose units are its counties
and districts. Its folder holds ``deployment.toml`` and the files it names (defaults in brackets)::

    deployment.toml   the unit (adcode, name, level, parents), the measuring CRS, the map's extent, the
                      names of its own organs (区委/县政府 …) and the collective phrases of its plans
    admin.csv         the admin name tree of its city: counties, township-level units, villages
    counties.geojson  polygons of the city, its counties and the unit's neighbours (WGS84)
    seats.geojson     seat points of units (GeoNames, cpca)
    lakes.geojson     lake polygons (OpenStreetMap)
    places.toml       the curated places file (see :mod:`gazetteer.places.curated`)
    texts/            its texts (.txt, .docx, .pdf …), read by ``govmap serve``
    gold/             annotations for ``govmap evaluate`` (optional)

咸安区 is the bundled default (``geodata/deployments/xianan``); ``govmap init`` makes others from the national
open sources. Nothing here reads a file at import time; :func:`load` reads and checks one folder.

>>> xa = load()
>>> xa.name, xa.level.value, xa.measure_crs, xa.organs.whole
('咸安区', 'county', 'EPSG:4547', '全区')
>>> [p.text for p in xa.phrases if p.related][:2]
['相关乡镇办场', '相关乡镇办']
"""

from __future__ import annotations

import enum
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from geodata.errors import GeodataError

#: Environment variable naming the deployment folder (``govmap serve`` and every command without ``--deployment``).
ENV_DEPLOYMENT = "GOVMAP_DEPLOYMENT"
#: The settings file inside a deployment folder.
SETTINGS_FILE = "deployment.toml"
#: Files a deployment names, with their default paths inside its folder.
DEFAULT_FILES: Mapping[str, str] = {
    "admin": "admin.csv",
    "counties": "counties.geojson",
    "seats": "seats.geojson",
    "lakes": "lakes.geojson",
    "places": "places.toml",
    "texts": "texts",
    "gold": "gold",
}
#: Files a deployment cannot work without (the others may be absent: no lakes, no texts, no gold).
REQUIRED_FILES = ("admin", "counties", "places")
#: Kinds a collective phrase may cover (the unit kinds of :class:`gazetteer.model.Kind`).
UNIT_KIND_NAMES = frozenset({"town", "township", "subdistrict", "farm", "zone", "county"})
#: CGCS2000 3-degree Gauss-Krüger zones (EPSG:4534 = CM 75°E … EPSG:4554 = CM 135°E).
_GK_ZONES = frozenset(f"EPSG:{code}" for code in range(4534, 4555))
_ADCODE = re.compile(r"\d{6}")


class DeploymentError(GeodataError, ValueError):
    """A deployment folder is missing, or its settings file is unreadable or incomplete."""


class Level(enum.StrEnum):
    """What a deployment serves: a county-level unit, or a prefecture-level city (its units are counties)."""

    COUNTY = "county"
    CITY = "city"


@dataclass(frozen=True, slots=True)
class Organs:
    """How a deployment's texts name its own bodies: 区委, 区政府, 区人民政府, 区… (区发改局, 区直), 全区."""

    party: str
    government: str
    people: str
    prefix: str
    whole: str

    @property
    def marks(self) -> tuple[str, ...]:
        """Fragments that mark one of its own departments in a unit list (区委…, 区直…, 区政府…).

        >>> Organs("县委", "县政府", "县人民政府", "县", "全县").marks
        ('县委', '县政府', '县人民政府', '县直')
        """
        return (self.party, self.government, self.people, self.prefix + "直")


@dataclass(frozen=True, slots=True)
class Phrase:
    """A collective phrase of a plan's unit lists (各乡镇办场) and the unit kinds it covers.

    ``related`` phrases (相关乡镇办场, 项目沿线乡镇办) cover only the units the task's own text locates it in.
    """

    text: str
    covers: frozenset[str]
    related: bool = False


@dataclass(frozen=True, slots=True)
class Deployment:
    """One deployment, read from its folder by :func:`load`. Paths are absolute."""

    folder: Path
    adcode: str
    name: str
    short_name: str
    level: Level
    parents: tuple[str, ...]
    measure_crs: str
    bbox: tuple[float, float, float, float]
    organs: Organs
    phrases: tuple[Phrase, ...]
    files: Mapping[str, Path]

    def path(self, key: str) -> Path:
        """The path of one of its files (``admin``, ``counties``, ``seats``, ``lakes``, ``places``, ``texts``,
        ``gold``)."""
        return self.files[key]

    def texts(self) -> list[Path]:
        """Its texts, sorted by name (every regular file of ``texts/`` but README files and hidden ones).

        >>> [p.name[:3] for p in load().texts()]
        ['000', '001', '002', '003', '004']
        """
        return text_files(self.files["texts"])

    def phrase(self, text: str) -> Phrase | None:
        """The collective phrase written ``text`` (brackets full- or half-width alike), if the deployment has it.

        >>> load().phrase("各乡镇（办、场）").covers == load().phrase("各乡镇办场").covers
        True
        """
        return _phrase_index(self.phrases).get(normalise_phrase(text))

    @property
    def key(self) -> str:
        """A short stable key: the adcode (used for the user's data folder)."""
        return self.adcode


def text_files(folder: Path) -> list[Path]:
    """The texts of a folder, sorted by name: every regular file but README files and hidden ones."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")
                  and not p.name.upper().startswith("README"))


def normalise_phrase(text: str) -> str:
    """A phrase with full-width brackets and spaces made uniform, so 各乡镇（街道） = 各乡镇(街道).

    >>> normalise_phrase(" 各乡镇（街道） ")
    '各乡镇(街道)'
    """
    return text.strip().replace("（", "(").replace("）", ")").replace(" ", "").replace("\u3000", "")


@cache
def _phrase_index(phrases: tuple[Phrase, ...]) -> dict[str, Phrase]:
    index: dict[str, Phrase] = {}
    for phrase in phrases:
        index.setdefault(normalise_phrase(phrase.text), phrase)
    return index


def bundled_folder() -> Path:
    """The folder of the bundled default deployment (咸安区).

    >>> (bundled_folder() / SETTINGS_FILE).is_file()
    True
    """
    return Path(__file__).resolve().with_name("deployments") / "xianan"


def chosen_folder(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``explicit``, else ``$GOVMAP_DEPLOYMENT``, else the bundled 咸安 deployment."""
    if explicit:
        return Path(explicit).expanduser()
    if os.environ.get(ENV_DEPLOYMENT):
        return Path(os.environ[ENV_DEPLOYMENT]).expanduser()
    return bundled_folder()


def load(folder: str | os.PathLike[str] | None = None) -> Deployment:
    """Read the deployment in ``folder`` (default: :func:`chosen_folder`); raises :class:`DeploymentError`."""
    return _load(chosen_folder(folder).resolve())


@cache
def _load(folder: Path) -> Deployment:
    settings_path = folder / SETTINGS_FILE
    if not settings_path.is_file():
        hint = "（用 govmap init DIR --county 名称 创建一个）" if not folder.exists() or folder.is_dir() else ""
        raise DeploymentError(f"{folder}: not a govmap deployment (no {SETTINGS_FILE}){hint}")
    try:
        raw = tomllib.loads(settings_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DeploymentError(f"{settings_path}: cannot read the deployment settings: {exc}") from None
    return _parse(raw, folder, settings_path)


def _parse(raw: Mapping[str, Any], folder: Path, source: Path) -> Deployment:
    unit = _table(raw, "unit", source)
    adcode = _text(unit, "adcode", source)
    if not _ADCODE.fullmatch(adcode):
        raise DeploymentError(f"{source}: [unit] adcode must be six digits, not {adcode!r}")
    try:
        level = Level(_text(unit, "level", source))
    except ValueError:
        raise DeploymentError(f"{source}: [unit] level must be one of {', '.join(Level)}") from None
    measure = _text(_table(raw, "measure", source), "crs", source)
    if measure not in _GK_ZONES:
        raise DeploymentError(f"{source}: [measure] crs must be a CGCS2000 3-degree Gauss-Krüger zone "
                              f"(EPSG:4534 … EPSG:4554), not {measure!r}")
    bbox = _bbox(_table(raw, "map", source).get("bbox"), source)
    organs_raw = _table(raw, "organs", source)
    organs = Organs(*(_text(organs_raw, key, source) for key in ("party", "government", "people", "prefix", "whole")))
    files = {key: (folder / str(raw.get("files", {}).get(key, default))).resolve()
             for key, default in DEFAULT_FILES.items()}
    missing = [f"{key} ({files[key].name})" for key in REQUIRED_FILES if not files[key].exists()]
    if missing:
        raise DeploymentError(f"{folder}: the deployment lacks {', '.join(missing)}")
    name = _text(unit, "name", source)
    return Deployment(folder=folder, adcode=adcode, name=name, short_name=str(unit.get("short_name") or name),
                      level=level, parents=tuple(str(p) for p in unit.get("parents", ())), measure_crs=measure,
                      bbox=bbox, organs=organs, phrases=_phrases(raw.get("phrases", ()), source), files=files)


def _table(raw: Mapping[str, Any], key: str, source: Path) -> Mapping[str, Any]:
    table = raw.get(key)
    if not isinstance(table, Mapping):
        raise DeploymentError(f"{source}: the [{key}] table is missing")
    return table


def _text(table: Mapping[str, Any], key: str, source: Path) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DeploymentError(f"{source}: {key!r} is missing or empty")
    return value.strip()


def _bbox(value: Any, source: Path) -> tuple[float, float, float, float]:
    if not (isinstance(value, list) and len(value) == 4 and all(isinstance(v, int | float) for v in value)):
        raise DeploymentError(f"{source}: [map] bbox must be [min lon, min lat, max lon, max lat]")
    minx, miny, maxx, maxy = (float(v) for v in value)
    if not (-180 <= minx < maxx <= 180 and -90 <= miny < maxy <= 90):
        raise DeploymentError(f"{source}: [map] bbox {value} is not a lon/lat box (min before max)")
    return minx, miny, maxx, maxy


def _phrases(value: Any, source: Path) -> tuple[Phrase, ...]:
    phrases = []
    for entry in value if isinstance(value, list) else ():
        text, covers = entry.get("text"), entry.get("covers")
        if not isinstance(text, str) or not isinstance(covers, list) or not covers:
            raise DeploymentError(f"{source}: every [[phrases]] needs text and a non-empty covers list: {entry}")
        unknown = set(covers) - UNIT_KIND_NAMES
        if unknown:
            raise DeploymentError(f"{source}: [[phrases]] {text}: unknown kinds {sorted(unknown)} "
                                  f"(one of {', '.join(sorted(UNIT_KIND_NAMES))})")
        phrases.append(Phrase(text.strip(), frozenset(covers), bool(entry.get("related", False))))
    return tuple(phrases)
