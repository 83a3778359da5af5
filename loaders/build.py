"""Build a release: load the sources, validate, skolemise the report, describe, write, publish.

    load_sources -> validate (pySHACL, child process) -> skolemize report -> metadata
    -> serialise into a staging folder -> kskg.release.publish (two renames)

Nothing is published unless every step succeeded: a failed build removes its staging folder and
leaves the current release as it was. A build holds an exclusive lock on the build folder, so a
staging folder found while holding it was left by a killed build and is removed.
"""

from __future__ import annotations

import fcntl
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import Dataset

from kskg.curated_answers import ANSWERS, write_answers
from kskg.query_files import CuratedQuery, QueryFileError, load_queries
from kskg.release import (
    DUMPS,
    SHACL_REPORT_TTL,
    SHACL_REPORT_TXT,
    SUMMARY_TXT,
    Release,
    current_release,
    publish,
    staging_dir,
)
from kskg.release_history import prune
from kskg.search_index import SEARCH_DB, write_search_index
from kskg.settings import Settings
from loaders import metadata, serialize, summary
from loaders.diagnostics import Severity
from loaders.progress import Progress, ticking
from loaders.skolemize import skolemize_report
from loaders.sources import LoadResult, load_sources
from loaders.validation import ValidationFailed, ValidationOutcome, Validator, merged_graph


class BuildError(RuntimeError):
    """The build cannot publish a release; the message says why (one problem per line)."""


def build(settings: Settings, progress: Progress, strict: bool = False) -> Release:
    """Build the sources under `settings.data_dir` and publish them as the current release.

    Reports each step with its duration through `progress` (and, while a step runs longer than
    a second, that it is still running). The loader diagnostics are in the release's
    summary.txt, grouped by document. Raises SourceError for an unreadable document and
    BuildError for a SHACL violation, a validation time-out, another build running on the same
    folder, or (with `strict`) any warning about a document.
    """
    with _build_lock(settings.build_dir):
        _remove_stale_staging(settings.build_dir)
        with _validator(settings) as validator:
            loaded = load(settings, progress)
            if strict:
                _refuse_warnings(loaded)
            outcome, prepared = _validate_and_prepare(loaded, settings, validator, progress)
        if not outcome.conforms:
            raise BuildError(_blocked_message(settings, loaded, outcome))
        return _write_and_publish(settings, loaded, outcome, prepared, progress)


def load(settings: Settings, progress: Progress) -> LoadResult:
    """Parse and map every input file; report how long it took and how many diagnostics it
    found (the diagnostics themselves: `summary.summary_text`)."""
    started = time.perf_counter()
    with ticking(progress, "parse"):
        loaded = load_sources(settings.data_dir, settings.ontology_dir)
    files = len(metadata.input_files(settings.data_dir, settings.ontology_dir))
    progress(f"parse {files} files … {time.perf_counter() - started:.1f} s")
    severities = [d.severity.value for d in loaded.diagnostics]
    found = ", ".join(f"{severities.count(s)} {s}(s)" for s in ("warning", "info"))
    progress(f"{found} in the inputs, listed per document at the end")
    return loaded


def _refuse_warnings(loaded: LoadResult) -> None:
    """--strict: a warning about a document fails the build before anything is written."""
    warnings = [d for d in loaded.diagnostics if d.severity is Severity.WARNING]
    if warnings:
        raise BuildError(
            f"--strict: {len(warnings)} warning(s) about the inputs; nothing was published\n"
            + summary.summary_text(loaded.summaries, loaded.diagnostics).rstrip("\n")
        )


def validate_dataset(dataset: Dataset, settings: Settings, progress: Progress) -> ValidationOutcome:
    """Validate the merged data graphs of `dataset` against settings.shapes_dir."""
    started = time.perf_counter()
    data = merged_graph(dataset)
    try:
        with ticking(progress, "validate"):
            outcome = Validator(settings.shapes_dir).validate(data, settings.shacl_timeout_s)
    except ValidationFailed as error:
        raise BuildError(str(error)) from error
    _report_validation(progress, len(data), outcome, started)
    return outcome


def _validate_and_prepare(
    loaded: LoadResult, settings: Settings, validator: Validator, progress: Progress
) -> tuple[ValidationOutcome, serialize.Prepared]:
    """Validate in the child while this process prepares the dumps of the data graphs."""
    started = time.perf_counter()
    data = merged_graph(loaded.dataset)
    prepared = serialize.Prepared()
    try:
        with ticking(progress, "validate"):
            validator.submit(data)
            for graph in loaded.dataset.graphs():
                prepared.add(graph)
            outcome = validator.result(settings.shacl_timeout_s)
    except ValidationFailed as error:
        raise BuildError(str(error)) from error
    _report_validation(progress, len(data), outcome, started)
    return outcome, prepared


def _report_validation(
    progress: Progress, triples: int, outcome: ValidationOutcome, started: float
) -> None:
    counts = summary.severity_counts(outcome.report)
    found = ", ".join(f"{n} {name}" for name, n in counts.items())
    elapsed = time.perf_counter() - started
    progress(f"validate {triples} triples ({found}) … {elapsed:.1f} s")


def validate_current(settings: Settings, progress: Progress) -> ValidationOutcome:
    """Validate the data of the current release again (its dataset.nq)."""
    release = current_release(settings.build_dir)
    dataset = Dataset()
    dataset.parse(release.dump_path("nq"), format="nquads")
    return validate_dataset(dataset, settings, progress)


@contextmanager
def _validator(settings: Settings) -> Iterator[Validator]:
    try:
        validator = Validator(settings.shapes_dir)
    except ValidationFailed as error:
        raise BuildError(str(error)) from error
    with validator:
        yield validator


def _blocked_message(settings: Settings, loaded: LoadResult, outcome: ValidationOutcome) -> str:
    inputs = metadata.input_files(settings.data_dir, settings.ontology_dir)
    files = {item.stem: item.file for item in inputs}
    files.update({Path(item.file).name: item.file for item in inputs})
    lines = summary.violation_lines(outcome.report, merged_graph(loaded.dataset), files)
    count = summary.severity_counts(outcome.report)["violations"]
    header = f"validation found {count} violation(s); nothing was published"
    return "\n".join([header, *lines])


def _write_and_publish(
    settings: Settings,
    loaded: LoadResult,
    outcome: ValidationOutcome,
    prepared: serialize.Prepared,
    progress: Progress,
) -> Release:
    started = time.perf_counter()
    staged = staging_dir(settings.build_dir)
    try:
        with ticking(progress, "write"):
            version = _write_or_explain(staged, settings, loaded, outcome, prepared)
        files = len(list(staged.iterdir()))
        progress(f"write {files} files … {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        release = publish(staged, settings.build_dir, version)
    finally:
        if staged.exists():
            shutil.rmtree(staged)
    progress(f"publish releases/{version} … {time.perf_counter() - started:.1f} s")
    for removed in prune(settings.build_dir, settings.keep_releases):
        progress(f"removed releases/{removed} (keep_releases={settings.keep_releases})")
    return release


def _write_or_explain(staged: Path, *args) -> str:
    """write_release(), with a full disk or a write error reported as a BuildError that names
    the file (the staging folder is removed by the caller; the current release is untouched)."""
    try:
        return write_release(staged, *args)
    except OSError as error:
        where = error.filename or staged
        reason = error.strerror or str(error)
        raise BuildError(
            f"{where}: cannot write the release: {reason}; nothing was published"
        ) from error


def write_release(
    folder: Path,
    settings: Settings,
    loaded: LoadResult,
    outcome: ValidationOutcome,
    prepared: serialize.Prepared,
) -> str:
    """Write every file of a release into `folder`; returns the release version.

    `prepared` holds the data graphs of `loaded` (the report and metadata are added here)."""
    report = skolemize_report(outcome.report)
    prepared.add(report)
    version = prepared.version()
    inputs = metadata.input_files(settings.data_dir, settings.ontology_dir)
    prepared.add(metadata.metadata_graph(version, inputs, prepared.union))
    serialize.write_dumps(prepared, folder)
    write_search_index(folder / DUMPS["nq"][0], folder / SEARCH_DB)
    write_answers(folder / DUMPS["nq"][0], curated_queries(settings), folder / ANSWERS)
    (folder / SHACL_REPORT_TTL).write_text(report.serialize(format="turtle"), encoding="utf-8")
    (folder / SHACL_REPORT_TXT).write_text(summary.report_text(report), encoding="utf-8")
    summary_txt = summary.summary_text(loaded.summaries, loaded.diagnostics)
    (folder / SUMMARY_TXT).write_text(summary_txt, encoding="utf-8")
    per_document = dict(summary.document_counts(s) for s in loaded.summaries)
    validation = {"conforms": outcome.conforms, **summary.severity_counts(report)}
    facts = metadata.ManifestInputs(
        version, inputs, prepared.dataset, prepared.union, per_document, validation
    )
    metadata.write_manifest(folder, facts)
    return version


def curated_queries(settings: Settings) -> list[CuratedQuery]:
    """The curated queries whose parameterless answers the release carries
    (kskg/curated_answers.py); a malformed query file fails the build, naming file and line."""
    try:
        return list(load_queries(settings.queries_dir).values())
    except QueryFileError as error:
        raise BuildError(f"{error}; nothing was published") from error


@contextmanager
def _build_lock(build_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on `build_dir` (released by the OS even if the build is killed)."""
    build_dir.mkdir(parents=True, exist_ok=True)
    with (build_dir / ".build.lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise BuildError(f"{build_dir}: another build is running") from error
        yield


def _remove_stale_staging(build_dir: Path) -> None:
    for stale in build_dir.glob("staging-*"):
        shutil.rmtree(stale, ignore_errors=True)
