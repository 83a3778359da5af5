"""`make run-remote`: the API against a real remote engine on this machine.

Starts two Oxigraph servers (the blue/green slots) from the pinned PyPI package on 127.0.0.1,
their data in `<build_dir>/oxigraph/`, publishes the current release into them with
`kskg publish --store`'s code, and runs `kskg serve` against them with the store settings in its
environment. Ctrl-C or SIGTERM stops the API first, then both servers.

    python -m kskg.run_remote [--host H] [--port P]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

from kskg.oxigraph_server import OxigraphServer
from kskg.release import current_release
from kskg.settings import Settings
from kskg.store_publish import PublishError, publish_to_store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kskg.run_remote", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    settings = Settings()
    release = current_release(settings.build_dir)
    timeout = settings.store_engine_timeout_s
    with ExitStack() as stack:
        slots = [
            stack.enter_context(OxigraphServer(settings.build_dir / "oxigraph" / name, timeout))
            for name in ("blue", "green")
        ]
        environment = _store_environment(slots, settings)
        try:
            publish_to_store(Settings(**_as_settings(environment)), release, _say)
        except PublishError as error:
            _say(f"error: {error}")
            return 1
        _say(f"engine slots: {', '.join(s.base for s in slots)}")
        return _serve(args, environment)


def _store_environment(slots: list[OxigraphServer], settings: Settings) -> dict[str, str]:
    return {
        "KSKG_STORE_URL": ",".join(s.query_url for s in slots),
        "KSKG_STORE_UPDATE_URL": ",".join(s.update_url for s in slots),
        "KSKG_STORE_DATA_URL": ",".join(s.data_url for s in slots),
        "KSKG_STORE_KIND": "oxigraph",
        "KSKG_BUILD_DIR": str(settings.build_dir),
    }


def _as_settings(environment: dict[str, str]) -> dict[str, str]:
    return {key.removeprefix("KSKG_").lower(): value for key, value in environment.items()}


def _serve(args: argparse.Namespace, environment: dict[str, str]) -> int:
    kskg = str(Path(sys.executable).with_name("kskg"))
    command = [kskg, "serve", "--host", args.host]
    server = subprocess.Popen([*command, "--port", str(args.port)], env=os.environ | environment)
    try:
        return server.wait()
    except KeyboardInterrupt:
        server.send_signal(signal.SIGINT)
        return server.wait()


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
