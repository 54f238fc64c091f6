def test_search_page_renders(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Find local support" in response.data


def test_unknown_page_is_a_real_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert b"Not Found" in response.data


def test_api_errors_are_json(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json["code"] == 404
