"""Two app servers on one PostgreSQL database and one Redis: to a person they are one site.

Each server is a separate `crampwise serve` with its own data dir (as on two machines); they share
only the database, the Redis cache (CRAMPWISE_REDIS_URL) and the secret key (CRAMPWISE_SECRET_KEY,
which signs sessions and CSRF tokens). Requests alternate between them: a session made on one is
valid on the other, failed logins and API calls are counted across both, and share links and
clinician grants work through either. Each run uses a Redis database number of its own (claimed
atomically) and empties it at the end.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import subprocess
import sys
import uuid
from itertools import cycle
from urllib.parse import urlencode, urlsplit

import pytest

from tests.conftest import ON_POSTGRES, PASSWORD
from tests.reliability.harness import Server

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

REDIS = os.environ.get("CRAMPWISE_TEST_REDIS", "redis://127.0.0.1:6379")
CSRF = "twoserverstestcsrfsecret01234567"  # 32 characters, as Django's CSRF cookie secret
API_LIMIT = 4  # API requests a minute per person, for this test
# The name both servers are reached by: a reverse proxy passes the same Host to each, and allauth
# counts failed logins per site name and login, so the servers must see one name to share a count.
HOST = "clinic.example"

SETUP = """
import json
import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from django.contrib.auth import get_user_model
from crampwise.clinician import services
password = %r
User = get_user_model()
alice = User.objects.create_user("alice", password=password)
User.objects.create_user("carol", password=password)
doctor = User.objects.create_user("dr_dan", password=password)
doctor.profile.is_clinician = True
doctor.profile.save()
link, token = services.create_share_link(alice, label="Dr Dan")
print(json.dumps({"code": services.clinician_code(doctor).code, "token": token, "link": link.pk}))
"""


@pytest.fixture(scope="module")
def redis_url():
    """A Redis database number no other run is using, emptied at the end."""
    if not ON_POSTGRES:
        pytest.skip("several app servers need PostgreSQL")
    import redis

    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis is not running at {REDIS}")
    for number in random.sample(range(1, 16), 15):
        client = redis.Redis.from_url(f"{REDIS}/{number}")
        if client.dbsize() == 0 and client.set("crampwise-test-claim", "1", nx=True):
            break
    else:
        pytest.skip("every Redis database is in use")
    yield f"{REDIS}/{number}"
    client.flushdb()


@pytest.fixture(scope="module")
def servers(tmp_path_factory, redis_url):
    """Servers A and B, the same database, cache and secret key; the ids the setup made."""
    if not ON_POSTGRES:
        pytest.skip("several app servers need PostgreSQL")
    import psycopg

    url = urlsplit(os.environ["CRAMPWISE_DATABASE_URL"])
    name = f"cw_two_{uuid.uuid4().hex[:10]}"
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CRAMPWISE_")
        and k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE")
    } | {
        "CRAMPWISE_DATABASE_URL": url._replace(path=f"/{name}").geturl(),
        "CRAMPWISE_REDIS_URL": redis_url,
        "CRAMPWISE_SECRET_KEY": "two-servers-test-" + uuid.uuid4().hex * 2,
        "CRAMPWISE_API_RATE_PER_TOKEN": f"{API_LIMIT}/min",
        "CRAMPWISE_LOG_LEVEL": "WARNING",
        "CRAMPWISE_ALLOWED_HOSTS": f"{HOST},127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "crampwise.settings",
    }
    envs = [base | {"CRAMPWISE_DATA_DIR": str(tmp_path_factory.mktemp(f"data_{s}"))} for s in "ab"]
    started = []
    try:
        # Migrations run once, before any server starts (docs/deploy.md).
        out = subprocess.run(
            [sys.executable, "-c", SETUP % PASSWORD],
            env=envs[0],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert out.returncode == 0, out.stderr[-3000:]
        made = json.loads(out.stdout.strip().splitlines()[-1])
        for env in envs:
            started.append(Server(env, workers=1).start())
        yield started, made
    finally:
        for server in started:
            server.stop()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Browser:
    """One person's cookies, sent to whichever server is asked."""

    def __init__(self) -> None:
        self.cookies = {"csrftoken": CSRF}

    def send(self, server: Server, method: str, path: str, form: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        headers = {
            "Host": HOST,
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            # Signing in makes a new CSRF secret: the form sends whichever the cookie holds now.
            "X-CSRFToken": self.cookies["csrftoken"],
        }
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            pair = header.split(";", 1)[0]
            key, _, value = pair.partition("=")
            if value in ("", '""'):
                self.cookies.pop(key, None)
            else:
                self.cookies[key] = value
        connection.close()
        return response.status, text

    def log_in(self, server: Server, username: str, password: str = PASSWORD):
        return self.send(
            server, "POST", "/accounts/login/", {"login": username, "password": password}
        )


def test_a_session_made_on_one_server_is_valid_on_the_other(servers):
    """Signed in on A, the diary opens on B; signed out on B, A no longer lets them in."""
    (a, b), _made = servers
    alice = Browser()
    assert alice.log_in(a, "alice")[0] == 302
    assert alice.send(b, "GET", "/history/")[0] == 200
    session = alice.cookies["sessionid"]
    assert alice.send(b, "POST", "/accounts/logout/", {})[0] == 302
    alice.cookies["sessionid"] = session  # an old copy of the cookie, replayed
    status, _ = alice.send(a, "GET", "/history/")
    assert status == 302


def test_failed_logins_are_counted_across_both_servers(servers):
    """Five wrong passwords spread over A and B lock the account on both, as on one server."""
    (a, b), _made = servers
    visitor = Browser()
    for server in (a, b, a, b, a):
        status, page = visitor.log_in(server, "carol", "not her password")
        assert status == 200 and "not correct" in page
    # B alone saw two failures: only a shared count refuses the right password now.
    status, page = visitor.log_in(b, "carol")
    assert status == 200 and "Too many failed login attempts" in page
    assert "sessionid" not in visitor.cookies


def test_api_rate_limits_are_counted_across_both_servers(servers):
    """A person's API budget is spent once, whichever server answers."""
    (a, b), _made = servers
    alice = Browser()
    assert alice.log_in(a, "alice")[0] == 302
    turns = cycle((a, b))
    statuses = [alice.send(next(turns), "GET", "/api/v1/nights")[0] for _ in range(API_LIMIT + 1)]
    assert statuses == [200] * API_LIMIT + [429]


def test_share_links_and_grants_work_through_either_server(servers):
    """A link opens on both servers and, withdrawn on one, closes on the other; a grant given on
    one server lets the clinician see the patient through the other."""
    (a, b), made = servers
    visitor = Browser()
    link = f"/s/{made['token']}/"
    assert visitor.send(a, "GET", link)[0] == 200
    assert visitor.send(b, "GET", link)[0] == 200
    alice = Browser()
    assert alice.log_in(a, "alice")[0] == 302
    assert alice.send(b, "POST", f"/sharing/links/{made['link']}/revoke/", {})[0] == 302
    assert visitor.send(a, "GET", link)[0] == 404

    assert alice.send(a, "POST", "/sharing/clinicians/new/", {"code": made["code"]})[0] == 302
    doctor = Browser()
    assert doctor.log_in(b, "dr_dan")[0] == 302
    status, page = doctor.send(b, "GET", "/clinician/")
    assert status == 200 and "alice" in page
    report = re.search(r"/clinician/patients/[0-9a-f-]{36}/report/", page)
    assert report is not None
    assert doctor.send(a, "GET", report.group(0))[0] == 200
