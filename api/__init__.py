"""The FastAPI application serving a published release (read-only)."""
