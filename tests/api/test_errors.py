"""The one error type (api/errors.py): its body, Retry-After, and the trip through a pipe."""

import pickle

from api.errors import ApiError, NotAcceptable, read_only


def test_the_body_has_code_message_status_and_details():
    error = ApiError(422, "invalid_parameter", "n: not a number", parameter="n")
    assert error.body() == {
        "error": "invalid_parameter",
        "message": "n: not a number",
        "status": 422,
        "parameter": "n",
    }
    assert error.headers == {}


def test_retry_after_sets_the_header_and_the_body_field_together():
    error = ApiError(503, "query_timeout", "too slow", retry_after=3, headers={"Vary": "Accept"})
    assert error.headers == {"Vary": "Accept", "Retry-After": "3"}
    assert error.body()["retry_after_s"] == 3


def test_not_acceptable_is_a_406_listing_what_is_offered():
    error = NotAcceptable(["text/csv", "text/turtle"], "none acceptable")
    assert (error.status, error.code) == (406, "not_acceptable")
    assert error.body() == {
        "error": "not_acceptable",
        "message": "none acceptable",
        "status": 406,
        "offered": ["text/csv", "text/turtle"],
    }


def test_errors_survive_pickling_with_their_class_details_and_headers():
    for error in (
        ApiError(429, "too_many_queries", "later", retry_after=7, client="x"),
        NotAcceptable(["text/csv"], "no"),
        read_only(),
    ):
        arrived = pickle.loads(pickle.dumps(error))
        assert type(arrived) is type(error)
        assert (arrived.body(), arrived.headers, str(arrived)) == (
            error.body(),
            error.headers,
            str(error),
        )
