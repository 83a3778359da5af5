"""The upper bound for the curated JSON routes: the same framework, no work per request.

    python -m bench.upper_bound_app --port 8001 --responses bench/out/curated-responses.json

A FastAPI app under the same uvicorn configuration as `kskg serve` that answers each benchmarked
URL with the exact status, media type and bytes the real API gave for it, precomputed. Whatever
the real route spends beyond this (query evaluation, JSON shaping) is the cost being measured.
"""

from __future__ import annotations

import argparse
import base64
import json
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import Response

from bench.servers import serve_like_kskg


def save_responses(path: Path, responses: dict[str, tuple[int, str, bytes]]) -> None:
    """Write {url: (status, media type, body)} for `create_app` to serve."""
    data = {
        url: {"status": status, "media_type": media, "body": base64.b64encode(body).decode()}
        for url, (status, media, body) in responses.items()
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), "utf-8")


def create_app(responses_file: Path) -> FastAPI:
    """An app with one GET route per distinct path of `responses_file`; the query string picks
    among the precomputed answers of that path."""
    data = json.loads(responses_file.read_text("utf-8"))
    table: dict[str, dict[str, Response]] = {}
    for url, entry in data.items():
        path, _, query = url.partition("?")
        body = base64.b64decode(entry["body"])
        table.setdefault(path, {})[query] = (entry["status"], entry["media_type"], body)
    app = FastAPI(title="precomputed upper bound")
    for path, answers in table.items():
        app.add_api_route(path, _handler(answers), methods=["GET"])
    return app


def _handler(answers: dict[str, tuple[int, str, bytes]]):
    async def answer(request: Request) -> Response:
        status, media, body = answers[request.url.query]
        return Response(body, status, media_type=media)

    return answer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--responses", type=Path, required=True)
    args = parser.parse_args(argv)
    app = create_app(args.responses)
    serve_like_kskg(app, args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
