"""The benchmark's ready-made sessions (bench/djangoside.py make_sessions) are accepted by the application.

locust and bench/run.py give most simulated people a session made straight in the database instead of a login.
When the project replaced ModelBackend by RoleModelBackend (三员分立), those sessions still named ModelBackend:
Django treats a session whose backend is not configured as anonymous, every page answered 302 to the login page,
and the cluster's deadline-day run found no forms (issue 17). A session made this way must sign its person in.
"""

import importlib.util
from pathlib import Path

import pytest
from django.conf import settings

DJANGOSIDE = Path(__file__).resolve().parent.parent / "bench" / "djangoside.py"


@pytest.fixture(scope="module")
def djangoside():
    spec = importlib.util.spec_from_file_location("bench_djangoside", DJANGOSIDE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_session_backend_is_a_configured_one(djangoside):
    assert djangoside.password_backend() in settings.AUTHENTICATION_BACKENDS


@pytest.mark.parametrize(
    ("username", "path"),
    [("zhangsan", "/center/platforms/"), ("edu_reviewer", "/center/review/?tab=pending")],
)
def test_a_ready_made_session_signs_in(demo, client, djangoside, username, path):
    sessions = djangoside.make_sessions([username])
    client.cookies[settings.SESSION_COOKIE_NAME] = sessions[username]

    response = client.get(path)

    assert response.status_code == 200
    assert response.wsgi_request.user.username == username
