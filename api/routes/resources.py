"""Routes: resources (placeholder until its issue lands)."""

from fastapi import APIRouter

router = APIRouter()
