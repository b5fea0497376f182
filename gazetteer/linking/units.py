"""The units a plan names — departments, bureaus, companies, townships, collective phrases — each under the name a
reader would give it, with the tasks it leads and those it shares.

A unit's *key* is its written name with the deployment's prefix (区/县/市, from ``deployment.organs.prefix``)
taken off and a bracketed second name dropped (区财政局(国资局) → 财政局), so 区水利和湖泊局 and 水利和湖泊局 are one
unit. The deployment's own organs keep their prefix (区委组织部, 区政府办, 区直相关单位: 委组织部 would be no name).
``…办公室`` and ``…办`` are one unit only where the plans write both (区政府办公室 = 区政府办); otherwise an 办 of one
body could swallow the 办公室 of another. Every written form is kept as an alias.

>>> from geodata import deployment
>>> key = unit_key_function(deployment.load())
>>> key("区水利和湖泊局"), key("水利和湖泊局"), key("区财政局（区国资局）"), key("区委组织部"), key("团区委")
('水利和湖泊局', '水利和湖泊局', '财政局', '区委组织部', '团区委')
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from gazetteer.model import Task
from gazetteer.places.registry import Gazetteer
from geodata.deployment import Deployment

#: A bracketed second name of the same body, full- or half-width: 区财政局(国资局), 区财政局（区国资局）.
_BRACKETED = re.compile(r"[(（〔\[【][^()（）〔〕\[\]【】]*[)）〕\]】]")
#: Words that make a name a group of units, not one (区直相关单位, 区政府各部门, …成员单位).
COLLECTIVE_MARKS: tuple[str, ...] = ("各", "相关", "有关", "成员单位", "沿线")
#: The long and short form of an office, merged only when both are written.
OFFICE, OFFICE_SHORT = "办公室", "办"


class UnitKind(StrEnum):
    """What sort of unit a name is."""

    ORGAN = "organ"            # a department, bureau, office, centre or company
    TOWNSHIP = "township"      # one of the deployment's units (乡镇办场, or a city's counties)
    COLLECTIVE = "collective"  # a group: 各乡镇办场, 区直相关单位, …成员单位


UNIT_KIND_TEXT: dict[UnitKind, str] = {UnitKind.ORGAN: "部门与单位", UnitKind.TOWNSHIP: "乡镇（街道）",
                                       UnitKind.COLLECTIVE: "统称"}


@dataclass(frozen=True, slots=True)
class Unit:
    """One unit: its key (the name pages show), the forms the plans write, and its tasks by role, in document
    order. ``place_id`` is the gazetteer unit for a township."""

    key: str
    kind: UnitKind
    aliases: tuple[str, ...]
    lead: tuple[str, ...]
    responsible: tuple[str, ...]
    place_id: str | None = None

    @property
    def name(self) -> str:
        """The most written form (区水利和湖泊局), for a heading."""
        return self.aliases[0] if self.aliases else self.key

    @property
    def task_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.lead, *self.responsible)))


def unit_key_function(deployment: Deployment | None) -> Callable[[str], str]:
    """The bare key of a written unit name (without the office merge, which needs the corpus)."""
    prefix = deployment.organs.prefix if deployment is not None else ""
    own = deployment.organs.marks if deployment is not None else ()

    def key(written: str) -> str:
        name = _BRACKETED.sub("", written.strip()).strip() or written.strip()
        if prefix and name.startswith(prefix) and not name.startswith(own) and len(name) > len(prefix) + 1:
            name = name[len(prefix):]
        return name

    return key


@dataclass(slots=True)
class UnitIndex:
    """Every unit the tasks of a corpus name, built once per corpus (:attr:`gazetteer.corpus.Corpus.units`)."""

    units: dict[str, Unit]
    _key: Callable[[str], str]
    _merged: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, tasks: Iterable[Task], gazetteer: Gazetteer) -> UnitIndex:
        deployment = gazetteer.deployment
        bare = unit_key_function(deployment)
        tasks = list(tasks)
        written = [u for t in tasks for u in (*t.responsibility.lead_units, *t.responsibility.units)]
        merged = _office_merges(bare, written)
        key = _merging(bare, merged)
        lead: dict[str, list[str]] = defaultdict(list)
        responsible: dict[str, list[str]] = defaultdict(list)
        forms: dict[str, dict[str, int]] = defaultdict(dict)
        for task in tasks:
            for role, names in ((lead, task.responsibility.lead_units), (responsible, task.responsibility.units)):
                for name in names:
                    k = key(name)
                    forms[k][name] = forms[k].get(name, 0) + 1
                    if task.id not in role[k]:
                        role[k].append(task.id)
        units = {}
        for k, written_forms in forms.items():
            aliases = tuple(sorted(written_forms, key=lambda f: -written_forms[f]))  # stable: first written first
            place = next((p for f in aliases if (p := gazetteer.unit(f)) is not None), None)
            kind = _kind(aliases[0], place is not None, deployment)
            units[k] = Unit(k, kind, aliases, tuple(lead.get(k, ())), tuple(responsible.get(k, ())),
                            place.id if place is not None and kind == UnitKind.TOWNSHIP else None)
        return cls(units, key, merged)

    def key(self, written: str) -> str:
        """The key of any written name, known or not: ``key("区水利和湖泊局") == "水利和湖泊局"``."""
        return self._key(written)

    def get(self, name: str) -> Unit | None:
        """The unit a name (key or written form) stands for, or ``None``."""
        return self.units.get(name) or self.units.get(self._key(name))

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.units.values())

    def __len__(self) -> int:
        return len(self.units)

    def keys_of(self, names: Iterable[str]) -> list[str]:
        """The keys of written names, in order, without repeats."""
        return list(dict.fromkeys(self._key(n) for n in names))


def corpus_key_function(written: Iterable[str], deployment: Deployment | None) -> Callable[[str], str]:
    """The key function of :meth:`UnitIndex.key` for units written as ``written`` (all the names the plans write),
    without building the index: what the storage uses to bind accounts to the units the pages show.

    >>> key = corpus_key_function(["区政府办公室", "区政府办", "区水利局"], None)
    >>> key("区政府办公室"), key("区水利局")
    ('区政府办', '区水利局')
    """
    bare = unit_key_function(deployment)
    return _merging(bare, _office_merges(bare, written))


def _office_merges(bare: Callable[[str], str], written: Iterable[str]) -> dict[str, str]:
    keys = {bare(u) for u in written}
    return {k: k[: -len(OFFICE)] + OFFICE_SHORT for k in keys
            if k.endswith(OFFICE) and k[: -len(OFFICE)] + OFFICE_SHORT in keys and len(k) > len(OFFICE)}


def _merging(bare: Callable[[str], str], merged: Mapping[str, str]) -> Callable[[str], str]:
    def key(written: str) -> str:
        k = bare(written)
        return merged.get(k, k)

    return key


def _kind(name: str, is_unit: bool, deployment: Deployment | None) -> UnitKind:
    if deployment is not None and deployment.phrase(name) is not None:
        return UnitKind.COLLECTIVE
    if any(mark in name for mark in COLLECTIVE_MARKS):
        return UnitKind.COLLECTIVE
    return UnitKind.TOWNSHIP if is_unit else UnitKind.ORGAN
