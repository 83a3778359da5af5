"""Shared core of kinderschutz-kg: namespaces, settings, the release layout and the CLI.

Both `loaders` (documents -> RDF) and `api` (serving) import from here; neither imports the other.
"""
