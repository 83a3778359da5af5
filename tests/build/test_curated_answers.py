"""kskg/curated_answers.py: what a release's answers folder is trusted for, and what not."""

from __future__ import annotations

import json
from pathlib import Path

from kskg.curated_answers import ANSWERS, ENGINE, INDEX, ROOT, ReleaseAnswers, sparql_sha256

SPARQL = "SELECT * WHERE { ?s ?p ?o }\n"


def _release(tmp_path: Path, index: dict | str, files: dict[str, bytes] | None = None) -> Path:
    folder = tmp_path / ANSWERS
    folder.mkdir()
    text = index if isinstance(index, str) else json.dumps(index)
    (folder / INDEX).write_text(text, "utf-8")
    for name, body in (files or {}).items():
        (folder / name).write_bytes(body)
    return tmp_path


def _entry(file: str = "q.jsonl") -> dict:
    return {"file": file, "shape": "records", "count": 1, "sparql_sha256": sparql_sha256(SPARQL)}


def _index(**entries: dict) -> dict:
    return {"engine": ENGINE, "root": ROOT, "answers": entries}


def test_a_release_without_answers_has_none(tmp_path: Path) -> None:
    answers = ReleaseAnswers.open(tmp_path)
    assert len(answers) == 0 and answers.get("q", SPARQL) is None


def test_the_answer_of_the_same_query_text_is_read(tmp_path: Path) -> None:
    path = _release(tmp_path, _index(q=_entry()), {"q.jsonl": b"{}"})
    answers = ReleaseAnswers.open(path)
    stored = answers.get("q", SPARQL)
    assert (stored.shape, stored.count, stored.body) == ("records", 1, b"{}")
    assert answers.get("q", SPARQL + " ") is None
    assert answers.get("other", SPARQL) is None


def test_answers_of_another_engine_are_not_used(tmp_path: Path) -> None:
    index = {**_index(q=_entry()), "engine": "pyoxigraph 0.0.1"}
    assert (
        ReleaseAnswers.open(_release(tmp_path, index, {"q.jsonl": b"{}"})).get("q", SPARQL) is None
    )


def test_answers_for_another_page_root_are_not_used(tmp_path: Path) -> None:
    index = {**_index(q=_entry()), "root": "/kskg/"}
    assert len(ReleaseAnswers.open(_release(tmp_path, index, {"q.jsonl": b"{}"}))) == 0


def test_an_unreadable_index_means_no_answers(tmp_path: Path) -> None:
    assert len(ReleaseAnswers.open(_release(tmp_path, "{not json"))) == 0


def test_an_entry_never_names_a_file_outside_the_folder(tmp_path: Path) -> None:
    (tmp_path / "secret.jsonl").write_bytes(b"secret")
    index = _index(q=_entry("../secret.jsonl"))
    assert ReleaseAnswers.open(_release(tmp_path, index)).get("q", SPARQL) is None
