"""analyse_places (what ``govmap geocode`` reads) finds the same kind, resolutions and derived places as analyse."""

from __future__ import annotations

from gazetteer import serialize
from gazetteer.corpus import analyse, analyse_places
from gazetteer.model import Document


def test_the_same_places_as_the_whole_pipeline(corpus, gazetteer):
    text = "推进马桥镇客运站建设，改造双溪桥镇污水处理厂。\n" + next(iter(corpus.documents.values())).text
    document = Document("t", "t", text, "utf-8")
    whole, places = analyse(document, gazetteer), analyse_places(document, gazetteer)
    assert (places.kind, places.resolutions, places.derived) == (whole.kind, whole.resolutions, whole.derived)
    assert len(places.derived) == 2 and not places.tasks and not places.links
    assert serialize.geocode_record(places, gazetteer) == serialize.geocode_record(whole, gazetteer)


def test_a_decomposition_document_keeps_its_kind(corpus, gazetteer):
    document = next(a.document for a in corpus.analyses if a.kind == "decomposition")
    assert analyse_places(document, gazetteer).kind == "decomposition"
