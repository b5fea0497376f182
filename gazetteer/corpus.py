"""The document pipeline: read → tasks or statements → indicators → place mentions → links.

:func:`analyse` turns one :class:`Document` into a :class:`DocumentAnalysis`; :class:`Corpus` holds several and
answers the questions the layers and pages ask (what links to this place, which tasks are this township's).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cached_property
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from gazetteer.reading import indicators as indicator_reader
from gazetteer.reading import statements as statement_reader
from gazetteer.reading import tasks as task_reader
from gazetteer.reading.documents import read_document
from gazetteer.linking.links import Link, LinkType, Rule
from gazetteer.model import (UNIT_KINDS, Document, Indicator, Place, Resolution, Span, Statement, Status,
                             Task)
from gazetteer.geocoding.geocode import locate
from gazetteer.geocoding.recognize import Recognizer
from gazetteer.places.registry import Gazetteer
from gazetteer.linking.responsibility import township_links
from gazetteer.linking.units import UnitIndex

DECOMPOSITION = "decomposition"
#: A year in a title (2025年).
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
NARRATIVE = "narrative"


@dataclass(frozen=True, slots=True)
class DocumentAnalysis:
    """Everything read from one document. ``resolutions`` include unresolved candidates and non-places."""

    document: Document
    kind: str
    tasks: tuple[Task, ...]
    statements: tuple[Statement, ...]
    indicators: tuple[Indicator, ...]
    resolutions: tuple[Resolution, ...]
    links: tuple[Link, ...]
    #: Places found in the text but not in the gazetteer, each named after one that is (贺胜桥站 → 贺胜桥镇).
    derived: tuple[Place, ...] = ()
    #: How the tasks were laid out (bracket-clause, clause-line, table, flattened-table; "+" joins several).
    layout: str = ""
    #: What a person should check in the plan (items without a clause, numbering gaps, fragments, collectives).
    warnings: tuple[str, ...] = ()

    @property
    def mentions(self) -> tuple[Resolution, ...]:
        """Resolved place mentions only."""
        return tuple(r for r in self.resolutions if r.status == Status.RESOLVED)

    @property
    def candidates(self) -> tuple[Resolution, ...]:
        """Names shaped like places that the gazetteer does not know."""
        return tuple(r for r in self.resolutions if r.status == Status.UNRESOLVED)


def analyse(document: Document, gazetteer: Gazetteer, *, recognizer: Recognizer | None = None) -> DocumentAnalysis:
    """Read one document completely.

    A responsibility-decomposition document yields tasks; any other yields statements. Indicators and place
    mentions are read from each task's text or statement, so each keeps its owner.
    """
    recognizer = recognizer or Recognizer(gazetteer)
    phrases = [p.text for p in gazetteer.deployment.phrases] if gazetteer.deployment is not None else []
    reading = task_reader.read_tasks(document, phrases=phrases)
    is_decomposition = task_reader.is_plan(document, reading)
    tasks = reading.tasks if is_decomposition else ()
    statements = () if is_decomposition else tuple(statement_reader.split_statements(document))
    # (owner, start, end of its own words): a task's words stop at its responsibility bracket, whose units are
    # mentions of places but link to townships by the responsibility rules, not as mentions.
    units = [(t.id, t.span.start, t.responsibility.span.start if t.responsibility.span else t.span.end)
             for t in tasks] or [(s.id, s.span.start, s.span.end) for s in statements]
    found_indicators: list[Indicator] = []
    for owner, start, end in units:
        found_indicators += indicator_reader.find_indicators(document.text[start:end], doc_id=document.id,
                                                             offset=start, owner=owner)
    # Places are found over the whole text, repeated paragraphs included, so every mention keeps its offsets;
    # only those inside a task's words or a (first-read) statement make links.
    resolutions = locate(document.text, document, gazetteer, recognizer=recognizer)
    derived = tuple({r.derived.id: r.derived for r in resolutions if r.derived is not None}.values())
    gazetteer = gazetteer.with_places(derived)
    starts = [start for _, start, _ in units]
    owned: dict[str, list[Resolution]] = defaultdict(list)
    for res in resolutions:
        at = bisect_right(starts, res.mention.span.start) - 1
        if at >= 0 and res.mention.span.end <= units[at][2]:
            owned[units[at][0]].append(res)
    links: list[Link] = [link for owner, found in owned.items() for link in _mention_links(owner, found, gazetteer)]
    mentioned: dict[str, list[str]] = defaultdict(list)
    for link in links:
        if link.type == LinkType.MENTIONED:
            mentioned[link.owner_id].append(link.place_id)
    for task in tasks:
        links += township_links(task, gazetteer, mentioned=mentioned[task.id])
    return DocumentAnalysis(document, DECOMPOSITION if is_decomposition else NARRATIVE, tasks, statements,
                            tuple(found_indicators), tuple(resolutions), tuple(links), derived,
                            layout=reading.layout if is_decomposition else "",
                            warnings=reading.warnings if is_decomposition else ())


def analyse_places(document: Document, gazetteer: Gazetteer, *,
                   recognizer: Recognizer | None = None) -> DocumentAnalysis:
    """Only what ``govmap geocode`` reports: the document's kind and its place resolutions, read as :func:`analyse`
    reads them; tasks, statements, indicators and links are left empty (not read)."""
    kind = DECOMPOSITION if task_reader.is_decomposition(document.text) else NARRATIVE
    resolutions = locate(document.text, document, gazetteer, recognizer=recognizer or Recognizer(gazetteer))
    derived = tuple({r.derived.id: r.derived for r in resolutions if r.derived is not None}.values())
    return DocumentAnalysis(document, kind, (), (), (), tuple(resolutions), (), derived)


def _mention_links(owner: str, resolutions: Sequence[Resolution], gazetteer: Gazetteer) -> list[Link]:
    """A MENTIONED link per resolved mention, and a CONTAINED link to each township the place lies in."""
    links: list[Link] = []
    for res in resolutions:
        if res.status != Status.RESOLVED or res.place_id is None:
            continue
        place = gazetteer[res.place_id]
        links.append(Link(owner, place.id, LinkType.MENTIONED, Rule.MENTION, f"提及 {res.mention.text}",
                          res.mention.span))
        for unit in gazetteer.township_of(place.id):
            if unit.id != place.id:
                links.append(Link(owner, unit.id, LinkType.CONTAINED, Rule.INSIDE,
                                  f"提及 {place.name}（位于 {unit.name}）", res.mention.span))
            elif unit.kind in UNIT_KINDS:
                links.append(Link(owner, unit.id, LinkType.CONTAINED, Rule.MENTION, f"提及 {unit.name}",
                                  res.mention.span))
    return links


class Corpus:
    """Analysed documents over one gazetteer, with the indexes pages and layers need."""

    def __init__(self, gazetteer: Gazetteer, analyses: Iterable[DocumentAnalysis]) -> None:
        self.analyses: tuple[DocumentAnalysis, ...] = tuple(analyses)
        #: The gazetteer and the places the texts name that it lacks (derived from places it has).
        self.gazetteer = gazetteer.with_places(p for a in self.analyses for p in a.derived)
        self.documents = {a.document.id: a.document for a in self.analyses}
        self.tasks: dict[str, Task] = {t.id: t for a in self.analyses for t in a.tasks}
        self.statements: dict[str, Statement] = {s.id: s for a in self.analyses for s in a.statements}
        self.indicators: tuple[Indicator, ...] = tuple(i for a in self.analyses for i in a.indicators)
        self.resolutions: tuple[Resolution, ...] = tuple(r for a in self.analyses for r in a.resolutions)
        self.links: tuple[Link, ...] = tuple(link for a in self.analyses for link in a.links)
        self._by_place: dict[str, list[Link]] = defaultdict(list)
        self._by_owner: dict[str, list[Link]] = defaultdict(list)
        self._indicators_by_owner: dict[str, list[Indicator]] = defaultdict(list)
        for link in self.links:
            self._by_place[link.place_id].append(link)
            self._by_owner[link.owner_id].append(link)
        for indicator in self.indicators:
            self._indicators_by_owner[indicator.owner].append(indicator)

    def links_for_place(self, place_id: str, *, types: Iterable[LinkType] | None = None) -> list[Link]:
        wanted = set(types) if types is not None else set(LinkType)
        return [link for link in self._by_place.get(place_id, ()) if link.type in wanted]

    def links_for_owner(self, owner_id: str) -> list[Link]:
        return list(self._by_owner.get(owner_id, ()))

    def indicators_for(self, owner_id: str) -> list[Indicator]:
        return list(self._indicators_by_owner.get(owner_id, ()))

    def owner_text(self, owner_id: str) -> str:
        """The text of a task or statement."""
        owner = self.tasks.get(owner_id) or self.statements.get(owner_id)
        return "" if owner is None else owner.text

    def township_tasks(self, township_id: str) -> list[tuple[Task, list[Link]]]:
        """Every task that is the township's, each with the links that say why, in document order."""
        reasons: dict[str, list[Link]] = defaultdict(list)
        for link in self._by_place.get(township_id, ()):
            if link.owner_id in self.tasks and link.type in (LinkType.RESPONSIBLE, LinkType.CONTAINED):
                reasons[link.owner_id].append(link)
        return [(task, reasons[task.id]) for task in self.tasks.values() if task.id in reasons]

    def plans(self) -> list[tuple[Document, str]]:
        """The plans (责任分解方案) among the documents, each with its year as its title gives it (``""`` if none)."""
        return [(a.document, m.group(1) if (m := _YEAR.search(a.document.title)) else "")
                for a in self.analyses if a.kind == DECOMPOSITION]

    @cached_property
    def units(self) -> UnitIndex:
        """Every unit the tasks name (牵头单位 and 责任单位), under the name a reader gives it, built on first use."""
        return UnitIndex.build(self.tasks.values(), self.gazetteer)

    def mentioned_place_ids(self) -> list[str]:
        """Ids of places named at least once, in first-mention order."""
        return list(dict.fromkeys(r.place_id for r in self.resolutions if r.status == Status.RESOLVED and r.place_id))


def build_corpus(gazetteer: Gazetteer, documents: Iterable[Document]) -> Corpus:
    recognizer = Recognizer(gazetteer)
    return Corpus(gazetteer, [analyse(doc, gazetteer, recognizer=recognizer) for doc in documents])


def read_corpus(paths: Iterable[Path], gazetteer: Gazetteer) -> Corpus:
    """Read and analyse files (text in UTF-8 or GBK, .docx, .pdf, .xlsx, .html)."""
    return build_corpus(gazetteer, [read_document(path) for path in paths])
