import os

from django.http import HttpResponse
from django.urls import path

urlpatterns = []
if os.environ.get("BENCH_BARE_VIEW"):
    # bench/run.py only: the cheapest Django view under the same server and middleware, the physical bound.
    urlpatterns.append(path("bench/bare/", lambda request: HttpResponse("ok", content_type="text/plain")))
