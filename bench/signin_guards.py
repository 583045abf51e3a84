"""Cost of the issue 11 request guards, in-process (no server): what each signed-in request and each login POST
pays for the client address, the login throttles, no-store and the second-factor/password-change checks.

    DEBUG=1 .venv/bin/python bench/signin_guards.py [--n 20000]

Uses the local-memory cache (Redis adds one round trip per cache call: 2 per login POST, none per page view).
"""

import argparse
import os
import sys
import time
from pathlib import Path

# The repository root instead of bench/ (whose statistics.py would shadow the standard library's).
sys.path[0] = str(Path(__file__).resolve().parents[1])
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kechuang.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from kechuang.security import clientip, login_throttle, signin  # noqa: E402


def per_call(fn, n):
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(n):
            fn()
        runs.append((time.perf_counter() - start) / n * 1e6)
    return sorted(runs)[len(runs) // 2]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20000)
    n = parser.parse_args().n
    settings.TRUSTED_PROXY_COUNT = 1
    factory = RequestFactory()
    meta = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.7"}

    def address():
        return clientip.resolve(meta)

    post = factory.post("/login/", {"username": "zhangsan", "password": "x"}, **meta)

    def throttle_check():
        post.__dict__.pop(clientip.CACHE_ATTRIBUTE, None)
        return login_throttle.retry_after(post, "zhangsan")

    def throttle_failure():
        post.__dict__.pop(clientip.CACHE_ATTRIBUTE, None)
        login_throttle.note_failure(post, "zhangsan")
        login_throttle.clear_account("zhangsan")

    class Session(dict):
        pass

    page = factory.get("/center/")
    page.session = Session()
    page.user = AnonymousUser()
    no_store = signin.NoStoreMiddleware(lambda request: HttpResponse("ok"))
    second = signin.SecondFactorMiddleware(lambda request: HttpResponse("ok"))

    def guards():
        no_store(page)
        second(page)

    def bare():  # what the two wrapped views cost by themselves, subtracted below
        HttpResponse("ok")
        HttpResponse("ok")

    rows = [
        ("client address from META (TRUSTED_PROXY_COUNT=1)", per_call(address, n)),
        ("login POST: throttle check (account + address)", per_call(throttle_check, n)),
        ("login POST: a failure counted (account + address) and cleared", per_call(throttle_failure, n // 4)),
        (
            "page view: NoStore + SecondFactor middleware (anonymous path)",
            per_call(guards, n) - per_call(bare, n),
        ),
    ]
    for label, micros in rows:
        print(f"{label:70s} {micros:8.1f} µs")


if __name__ == "__main__":
    main()
