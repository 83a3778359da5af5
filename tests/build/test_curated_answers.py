"""kskg/curated_answers.py: what a release's answers folder is trusted for, and what not."""

from __future__ import annotations

import json
from pathlib import Path

from kskg.curated_answers import ANSWERS, ENGINE, INDEX, ReleaseAnswers, sparql_sha256

SPARQL = "SELECT * WHERE { ?s ?p ?o }\n"


def _release(tmp_path: Path, index: dict | str, files: dict[str, bytes] | None = None) -> Path:
    folder = tmp_path / ANSWERS
    folder.mkdir()
    text = index if isinstance(index, str) else json.dumps(index)
    (folder / INDEX).write_text(text, "utf-8")
    for name, body in (files or {}).items():
        (folder / name).write_bytes(body)
    return tmp_path


def _entry(file: str = "q.srj") -> dict:
    return {"file": file, "sparql_sha256": sparql_sha256(SPARQL), "bytes": 2}


def test_a_release_without_answers_has_none(tmp_path: Path) -> None:
    answers = ReleaseAnswers.open(tmp_path)
    assert len(answers) == 0 and answers.get("q", SPARQL) is None


def test_the_answer_of_the_same_query_text_is_read(tmp_path: Path) -> None:
    path = _release(tmp_path, {"engine": ENGINE, "answers": {"q": _entry()}}, {"q.srj": b"{}"})
    answers = ReleaseAnswers.open(path)
    assert answers.get("q", SPARQL) == b"{}"
    assert answers.get("q", SPARQL + " ") is None
    assert answers.get("other", SPARQL) is None


def test_answers_of_another_engine_are_not_used(tmp_path: Path) -> None:
    index = {"engine": "pyoxigraph 0.0.1", "answers": {"q": _entry()}}
    assert ReleaseAnswers.open(_release(tmp_path, index, {"q.srj": b"{}"})).get("q", SPARQL) is None


def test_an_unreadable_index_means_no_answers(tmp_path: Path) -> None:
    assert len(ReleaseAnswers.open(_release(tmp_path, "{not json"))) == 0


def test_an_entry_never_names_a_file_outside_the_folder(tmp_path: Path) -> None:
    (tmp_path / "secret.srj").write_bytes(b"secret")
    index = {"engine": ENGINE, "answers": {"q": _entry("../secret.srj")}}
    assert ReleaseAnswers.open(_release(tmp_path, index)).get("q", SPARQL) is None
