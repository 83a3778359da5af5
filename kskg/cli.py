"""The `kskg` command: build, validate, export, serve and describe releases.

    kskg build [--strict]           parse data/, validate, publish data/build/current
    kskg check FILE…                print what the parser reads in documents; publishes nothing
    kskg validate [--data]          validate the current release again (or data/ unpublished)
    kskg export --format F --output DIR [--gzip]
    kskg serve [--host H] [--port P]
    kskg info
    kskg publish --store [--release DIR]   load a release into the remote engine, make it current
    kskg diff V1 V2 [--json] [--nquads DIR]  what changed from release V1 to release V2

Settings come from `kskg.settings.Settings` (environment variables KSKG_*); --build-dir and
--data-dir override them. Expected failures print one message per problem on stderr and exit 1;
usage errors exit 2 (argparse). The loaders and the API are imported inside their commands, so
`kskg build` never imports FastAPI and `kskg info` stays fast.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from kskg.release import DUMPS, SUMMARY_TXT, NoReleaseError, current_release
from kskg.settings import Settings

EXPORT_FORMATS = (*DUMPS, "all")


class CommandError(Exception):
    """An expected failure; its text is printed as it is, without a traceback."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line `argv` (default: sys.argv[1:]); returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        status = args.run(args, _settings(args))
        sys.stdout.flush()  # inside the try: a reader that left makes this raise, not exit
        return status
    except BrokenPipeError:
        return _reader_left()
    except NoReleaseError as error:
        _err(f"error: {error}")
    except CommandError as error:
        _err(str(error))
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    return 1


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--build-dir", type=Path, help="releases live here (KSKG_BUILD_DIR)")
    common.add_argument("--data-dir", type=Path, help="sources/ and reference/ (KSKG_DATA_DIR)")
    parser = argparse.ArgumentParser(prog="kskg", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    sub = commands.add_parser("build", parents=[common], help="parse, validate and publish")
    sub.add_argument(
        "--strict",
        action="store_true",
        help="a warning about an input fails the build (nothing is published)",
    )
    sub.set_defaults(run=_build)
    sub = commands.add_parser(
        "check", parents=[common], help="print the outline the parser reads (no publishing)"
    )
    sub.add_argument("files", nargs="+", type=Path, metavar="FILE", help="documents to read")
    sub.set_defaults(run=_check)
    sub = commands.add_parser("validate", parents=[common], help="validate and print the report")
    sub.add_argument("--data", action="store_true", help="validate data/ without publishing")
    sub.set_defaults(run=_validate)
    sub = commands.add_parser("export", parents=[common], help="write the current dumps")
    sub.add_argument("--format", required=True, choices=EXPORT_FORMATS, help="dump format")
    sub.add_argument("--gzip", action="store_true", help="write the .gz files instead")
    sub.add_argument("--output", required=True, type=Path, help="folder to write into")
    sub.set_defaults(run=_export)
    sub = commands.add_parser("serve", parents=[common], help="serve the current release")
    sub.add_argument("--host", default="127.0.0.1")
    sub.add_argument("--port", type=int, default=8000)
    sub.set_defaults(run=_serve)
    sub = commands.add_parser("info", parents=[common], help="version and counts of the release")
    sub.set_defaults(run=_info)
    sub = commands.add_parser(
        "publish", parents=[common], help="load a release into the remote engine (blue/green)"
    )
    sub.add_argument(
        "--store", action="store_true", required=True, help="into KSKG_STORE_URL (docs/deploy.md)"
    )
    sub.add_argument("--release", type=Path, help="release folder (default: the current one)")
    sub.set_defaults(run=_publish)
    sub = commands.add_parser("diff", parents=[common], help="what changed between two releases")
    sub.add_argument("old", metavar="V1", help="a kept release (version or 8+ character prefix)")
    sub.add_argument("new", metavar="V2", help="the release to compare it with")
    sub.add_argument("--json", action="store_true", help="print the summary as JSON")
    sub.add_argument("--nquads", type=Path, metavar="DIR", help="write added.nq, removed.nq here")
    sub.set_defaults(run=_diff)
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {"build_dir": args.build_dir, "data_dir": args.data_dir}
    return Settings(**{key: value for key, value in overrides.items() if value is not None})


def _reader_left() -> int:
    """The reader of stdout closed it (`kskg info | head`): stop quietly, as `yes | head` does.

    stdout is pointed at /dev/null so that the interpreter's final flush of what is still
    buffered does not raise again at exit (Python docs, "Note on SIGPIPE")."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 128 + 13  # SIGPIPE, what a shell reports for a writer killed by a closed pipe


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _build(args: argparse.Namespace, settings: Settings) -> int:
    from loaders.build import BuildError, build
    from loaders.diagnostics import SourceError

    try:
        release = build(settings, _err, strict=args.strict)
    except SourceError as error:
        raise CommandError(str(error)) from error
    except BuildError as error:
        raise CommandError(f"error: {error}") from error
    # What a curator reads first: per document its counts, its warnings and corrections.
    print((release.path / SUMMARY_TXT).read_text("utf-8"))
    print(f"release {release.version}: {release.path}")
    return 0


def _check(args: argparse.Namespace, settings: Settings) -> int:
    from loaders.diagnostics import SourceError
    from loaders.outline import check_files, load_kommunen

    try:
        kommunen, shown = load_kommunen(settings.data_dir)
    except SourceError as error:
        raise CommandError(str(error)) from error
    result = check_files(args.files, kommunen, shown, print)
    return 1 if result.failed else 0


def _validate(args: argparse.Namespace, settings: Settings) -> int:
    from loaders.build import BuildError, load, validate_current, validate_dataset
    from loaders.diagnostics import SourceError
    from loaders.summary import report_text, summary_text

    try:
        if args.data:
            loaded = load(settings, _err)
            _err(summary_text(loaded.summaries, loaded.diagnostics))
            outcome = validate_dataset(loaded.dataset, settings, _err)
        else:
            outcome = validate_current(settings, _err)
    except SourceError as error:
        raise CommandError(str(error)) from error
    except BuildError as error:
        raise CommandError(f"error: {error}") from error
    print(report_text(outcome.report), end="")
    return 0 if outcome.conforms else 1


def _export(args: argparse.Namespace, settings: Settings) -> int:
    release = current_release(settings.build_dir)
    formats = list(DUMPS) if args.format == "all" else [args.format]
    args.output.mkdir(parents=True, exist_ok=True)
    for fmt in formats:
        source = release.dump_path(fmt)
        if args.gzip:
            source = source.with_name(source.name + ".gz")
        target = args.output / source.name
        shutil.copyfile(source, target)
        print(target)
    return 0


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    release = current_release(settings.build_dir)  # a clear error now, not inside the server
    from api.serving import layout, serve_processes

    chosen = layout(settings, release)
    if chosen.processes > 1:
        print(f"kskg serve: {chosen.processes} HTTP processes ({chosen.why})", file=sys.stderr)
        return serve_processes(chosen, args.host, args.port)
    from api.engine.worker_process import prestart, release_source

    if not settings.store_slots():
        # The first query worker starts and loads the release while FastAPI is being imported
        # (about a second each): start-up takes the longer of the two, not their sum.
        prestart(settings, release.version, release_source(release))
    # No collections while importing (they find nothing to free there and cost about a tenth
    # of start-up); what start-up built is frozen out of later collections.
    gc.disable()
    from api.app import create_app
    from api.http.server import serve

    app = create_app(settings)
    gc.freeze()
    gc.enable()
    # api/http/server.py: the h2c-tolerant parser with the header limit, and graceful shutdown
    # (requests in flight finish, then the query workers stop).
    serve(app, host=args.host, port=args.port)
    return 0


def _publish(args: argparse.Namespace, settings: Settings) -> int:
    from kskg.release import open_release
    from kskg.store_publish import PublishError, publish_to_store

    release = open_release(args.release) if args.release else current_release(settings.build_dir)
    try:
        endpoint = publish_to_store(settings, release, _err)
    except PublishError as error:
        raise CommandError(f"error: {error}") from error
    print(f"release {release.version}: {endpoint}")
    return 0


def _info(args: argparse.Namespace, settings: Settings) -> int:
    release = current_release(settings.build_dir)
    manifest = release.manifest
    counts, validation = manifest["counts"], manifest["validation"]
    print(f"version    {release.version}")
    print(f"path       {release.path}")
    print(f"generator  {manifest['generator']}")
    print(f"quads      {counts['quads']}")
    print(f"triples    {counts['triples']}")
    print(f"graphs     {counts['graphs']}")
    print(f"sources    {len(manifest['sources'])}")
    print(
        f"validation conforms={validation['conforms']} violations={validation['violations']}"
        f" warnings={validation['warnings']} infos={validation['infos']}"
    )
    print("per class")
    for cls, count in sorted(counts["per_class"].items()):
        print(f"  {count:6d}  {cls}")
    return 0


def _diff(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from kskg.release_diff import diff, patch, readable
    from kskg.release_history import VersionError, published_releases, resolve

    kept = {r.version: r.release for r in published_releases(settings.build_dir)}
    try:
        old, new = (kept[resolve(list(kept), v)] for v in (args.old, args.new))
    except VersionError as error:
        raise CommandError(f"error: {error.message}; kept: {', '.join(error.known)}") from None
    result = diff(old, new)
    print(json.dumps(result, indent=2, ensure_ascii=False) if args.json else readable(result))
    if args.nquads:
        args.nquads.mkdir(parents=True, exist_ok=True)
        changes = patch(old, new)
        for part in ("added", "removed"):
            (args.nquads / f"{part}.nq").write_bytes(changes.nquads(part))
            _err(f"wrote {args.nquads / f'{part}.nq'}")
    return 0
