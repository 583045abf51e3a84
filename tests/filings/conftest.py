"""The filings tests' common actors: zhangsan signed in, and a fresh draft of his."""

import pytest

from .factories import new_filing


@pytest.fixture
def owner(client, demo):
    client.force_login(demo.zhangsan)
    return client


@pytest.fixture
def filing(demo):
    return new_filing(demo.zhangsan, demo.business)
