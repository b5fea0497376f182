"""The benchmark corpus generator is deterministic and keeps the sample texts' shape (tiny, no 20 MB).

It swaps names from the admin tree bundled in ``geodata/data`` and so needs no jionlp (a ≈170 MB install)."""

from __future__ import annotations

import pytest

from benchmarks import corpus


@pytest.fixture(scope="module")
def generator():
    return corpus.Generator(seed=7)


def test_originals_come_first_verbatim(generator):
    for n, (doc_id, text) in enumerate(corpus.sources()):
        assert generator.variant(n) == (doc_id, text)


def test_variants_are_deterministic_and_differ(generator):
    n = len(generator.sources) + 3
    first = generator.variant(n)
    assert corpus.Generator(seed=7).variant(n) == first
    assert corpus.Generator(seed=8).variant(n) != first
    assert first[1] != generator.sources[n % len(generator.sources)][1]


def test_decomposition_variant_keeps_its_tasks(generator):
    from gazetteer.model import Document
    from gazetteer.reading.tasks import is_decomposition, parse_tasks

    index = next(i for i, (_, t) in enumerate(generator.sources) if is_decomposition(t))
    doc_id, text = generator.variant(index + 2 * len(generator.sources))
    original = generator.sources[index][1]
    assert len(list(parse_tasks(Document(doc_id, doc_id, text, "utf-8")))) == \
        len(list(parse_tasks(Document("o", "o", original, "utf-8"))))


def test_generate_writes_manifest_and_load_prefixes(tmp_path):
    manifest = corpus.generate(0.2, seed=3, out=tmp_path)
    assert manifest["bytes"] >= 0.2e6
    assert corpus.generate(0.2, seed=3, out=tmp_path)["sha256"] == manifest["sha256"]
    small = corpus.load(0.05, out=tmp_path)
    assert 0 < len(small) < manifest["documents"]
    assert corpus.load(out=tmp_path)[: len(small)] == small
