"""The curated queries as the API reads them: the `queries/*.rq` file format.

The format itself lives in kskg/query_files.py, because the build reads the same files to
precompute the parameterless answers of a release (kskg/curated_answers.py) and the loaders
may not import `api`. This module is the curated API's name for it.
"""

from kskg.query_files import (
    FIELD_TYPES,
    HEADER,
    PARAM_TYPES,
    PARAM_VARIABLE,
    CuratedQuery,
    Field,
    Pagination,
    Param,
    QueryFileError,
    load_queries,
    parse_query_file,
    split_header,
)

__all__ = [
    "FIELD_TYPES",
    "HEADER",
    "PARAM_TYPES",
    "PARAM_VARIABLE",
    "CuratedQuery",
    "Field",
    "Pagination",
    "Param",
    "QueryFileError",
    "load_queries",
    "parse_query_file",
    "split_header",
]
