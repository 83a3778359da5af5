"""The routers of the app, in mount order (specific paths before catch-alls)."""

from api.routes import curated, dumps, resources, sparql

ROUTERS = [sparql.router, curated.router, dumps.router, resources.router]
