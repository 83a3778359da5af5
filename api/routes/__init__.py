"""The routers of the app, in mount order (specific paths before catch-alls).

The curated routes are generated per app by `api.routes.curated.build_router(settings)`.
"""

from api.routes import browse, dumps, pages, releases, resources, sparql

ROUTERS = [
    sparql.router, dumps.router, browse.router, releases.router, resources.router, pages.router,
]  # fmt: skip
