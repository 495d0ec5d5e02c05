"""The API answers as its OpenAPI document says (issue 17 item 16)."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_a_bad_parameter_is_a_documented_400(client: TestClient) -> None:
    response = client.get("/api/articles", params={"page": 0})
    assert response.status_code == 400 and response.json()["error"].startswith("invalid parameter")
    spec = client.get("/openapi.json").json()
    for path, methods in spec["paths"].items():
        for operation in methods.values():
            assert "422" not in operation["responses"], path
            if operation.get("parameters"):
                assert "400" in operation["responses"], path
            if "{" in path:
                assert "404" in operation["responses"], path


def test_wrong_method_names_the_allowed_ones(client: TestClient) -> None:
    response = client.post("/api/articles")
    assert response.status_code == 405 and response.headers["allow"] == "GET"
    assert response.json() == {"error": "Method Not Allowed"}


def test_head_is_get_without_a_body(client: TestClient) -> None:
    got, head = client.get("/api/articles"), client.head("/api/articles")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert client.head("/api/articles/no-such-article").status_code == 404
    assert client.head("/").status_code == 200
