"""The app factory serves the current release over real HTTP, with JSON errors."""


def test_unknown_route_is_json_404(client):
    response = client.get("/no/such/route")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert response.headers["content-type"] == "application/json"
