"""/api/v1/openapi.json and the docs page: Swagger UI from the bundled files, no CDN, no inline script or style,
under the project's strict Content-Security-Policy."""

import re
from pathlib import Path

from django.contrib.staticfiles import finders


def test_openapi_document(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/businesses",
        "/api/v1/filings",
        "/api/v1/filings/{filing_id}",
        "/api/v1/filings/{filing_id}/attachments/{attachment_id}",
        "/api/v1/filings/{filing_id}/flow",
        "/api/v1/statistics",
    }
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    for path in schema["paths"].values():
        operation = path["get"]
        assert operation["security"] == [{"TokenAuth": []}]
        assert {"200", "400", "401", "403", "404", "429"} <= set(operation["responses"])
    pdf = schema["paths"]["/api/v1/filings/{filing_id}/attachments/{attachment_id}"]["get"]["responses"][
        "200"
    ]
    assert list(pdf["content"]) == ["application/pdf"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/filings"]["get"]["parameters"]}
    assert parameters == {
        "status",
        "stage",
        "submitted_from",
        "submitted_to",
        "unit",
        "department",
        "country",
        "industry",
        "updated_since",
        "cursor",
        "limit",
    }


def test_docs_page_uses_bundled_files_and_no_inline_code(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert len(scripts) == 2
    for attributes, body in scripts:
        assert 'src="/static/' in attributes and not body.strip(), "no inline script"
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "nothing from another origin"
    assets = re.findall(r'(?:src|href)="/static/([^"]+)"', html)
    assert {"ninja/swagger-ui-bundle.js", "ninja/swagger-ui.css", "api/docs.css", "api/docs.js"} <= set(
        assets
    )
    for asset in assets:
        assert finders.find(asset), f"{asset} is not a bundled static file"
    assert 'data-openapi-url="/api/v1/openapi.json"' in html
    assert '<html lang="zh-Hans">' in html  # BCP 47; English on the language cookie (issue 12 item 7)
    client.cookies["django_language"] = "en"
    english = client.get("/api/v1/docs").content.decode()
    assert '<html lang="en">' in english and "Kechuang Filing Open API (v1)" in english
    assert "开放接口" not in english


def test_index_points_to_the_document_and_the_docs(client, db):
    body = client.get("/api/v1/").json()
    assert body["openapi"] == "/api/v1/openapi.json" and body["docs"] == "/api/v1/docs"


def test_docs_init_file_needs_no_inline_configuration():
    source = Path(finders.find("api/docs.js")).read_text(encoding="utf-8")
    assert "SwaggerUIBundle(" in source and "dataset.openapiUrl" in source
    assert (
        "validatorUrl: null" in source
    )  # Swagger UI would otherwise ask an outside validator about the document
