"""Links between what the texts say and where: task ↔ place, task ↔ township, place → township."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from gazetteer.model import Span


class LinkType(StrEnum):
    #: The task or statement names the place (span = the mention).
    MENTIONED = "mentioned"
    #: The township is responsible for the task (rule says why: named, 各乡镇办场, 各乡镇办, related).
    RESPONSIBLE = "responsible"
    #: The task names a place that lies inside the township (rule names the place).
    CONTAINED = "contained"


class Rule(StrEnum):
    """Why a link exists; shown to township officials."""

    MENTION = "mention"                     # named in the text
    NAMED_UNIT = "named-unit"               # named in 责任单位 / 牵头单位
    ALL = "all"                             # 各乡镇办场
    ALL_BUT_FARM = "all-but-farm"           # 各乡镇办
    RELATED_LOCATED = "related-located"     # 相关乡镇办场, and the text places the task in this township
    RELATED_UNSPECIFIED = "related-unspecified"  # 相关乡镇办场, and the text names no township
    INSIDE = "inside"                       # a place the text names lies inside the township


@dataclass(frozen=True, slots=True)
class Link:
    """``owner_id`` (a task or statement id) is linked to ``place_id`` as ``type``, because of ``rule``.

    ``detail`` is a short human explanation in Chinese (e.g. "责任单位：向阳湖镇", "提及 斧头湖（位于 向阳湖镇）").
    """

    owner_id: str
    place_id: str
    type: LinkType
    rule: Rule
    detail: str
    span: Span | None = None
