"""Typed settings, read from the environment (prefix ``KSKG_``) when a factory builds them.

Nothing here runs at import time: `Settings()` is constructed by `api.app.create_app` and by the
CLI, so tests pass their own instance.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Every setting of the project; environment variable = ``KSKG_`` + upper-case name."""

    model_config = SettingsConfigDict(env_prefix="KSKG_", frozen=True)

    data_dir: Path = Field(PROJECT_ROOT / "data", description="sources/ and reference/ live here")
    build_dir: Path = Field(
        PROJECT_ROOT / "data" / "build", description="releases are published here"
    )
    ontology_dir: Path = Field(PROJECT_ROOT / "ontology")
    shapes_dir: Path = Field(PROJECT_ROOT / "shapes")
    queries_dir: Path = Field(PROJECT_ROOT / "queries")

    public_base: str = Field(
        "http://127.0.0.1:8000/",
        description="Base URL this server answers on; https://w3id.org/kinderschutz-kg/ maps here",
    )
    shacl_timeout_s: float = Field(120.0, description="wall-clock limit for pySHACL in a build")
