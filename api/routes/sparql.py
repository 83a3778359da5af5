"""Routes: sparql (placeholder until its issue lands)."""

from fastapi import APIRouter

router = APIRouter()
