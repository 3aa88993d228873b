"""Bugs the fuzzing found, each as a plain test with the input that broke it."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.conftest import PASSWORD
from tests.fuzz.conftest import LEAD, PRO
from wijkteam.core import clock


@pytest.fixture
def noord(town):
    return town.noord


def test_agenda_change_with_a_version_that_is_no_number(client, noord):
    """version=1.5 on an agenda form: the error messages are lazy strings and joining them
    for the flash message was a TypeError (500)."""
    client.login(LEAD)
    page = f"/discussions/{noord['discussion_id']}"
    for url, extra in (
        (f"{page}/agenda", {"item_ids": str(noord["item_waiting"])}),
        (f"{page}/items/{noord['item_id']}/move", {"direction": "down"}),
    ):
        resp = client.submit(url, {"version": "1.5", **extra}, page=page)
        assert resp.status_code == 302, url
        html = client.get(resp.headers["Location"]).get_data(as_text=True)
        assert "Dit formulier is buiten de app aangepast." in html, url


def test_team_form_without_the_area_field(app, client, noord):
    """A POST without the (optional) area field: the area became None and the NOT NULL
    column made it a 500."""
    from tests.conftest import form_version
    from wijkteam.auth.models import Team
    from wijkteam.core.db import db

    client.login("admin@test.example")
    page = f"/admin/teams/{noord['team_id']}/edit"
    version = form_version(client.get(page).get_data(as_text=True))
    resp = client.submit(page, {"name": "Team Noord", "active": "y", "version": version}, page=page)
    assert resp.status_code == 302
    with app.app_context():
        assert db.get(Team, noord["team_id"]).area == ""


@pytest.mark.parametrize("page", ["99999999999999999999", "9223372036854775807", "-1", "0"])
def test_list_pages_with_a_page_number_past_any_offset(client, noord, page):
    """?page=99999999999999999999 made an OFFSET that does not fit in a 64-bit integer: an
    OverflowError on SQLite, an out-of-range error on PostgreSQL (500). Now such a page shows
    the last page (zero or less: the first)."""
    client.login(LEAD)
    case = noord["case_id"]
    for url in (
        "/cases",
        "/search?q=fiets",
        "/resources",
        "/referrals",
        "/safety",
        "/discussions",
        f"/cases/{case}/timeline",
        f"/cases/{case}/notes",
        f"/cases/{case}/audit",
    ):
        resp = client.get(f"{url}{'&' if '?' in url else '?'}page={page}")
        assert resp.status_code == 200, url
    client.logout()
    client.login("admin@test.example")
    assert client.get(f"/admin/users?page={page}").status_code == 200


def test_a_page_past_the_end_shows_the_last_page(client, noord):
    client.login(LEAD)
    html = client.get("/cases?scope=team&status=all&page=99999999999999999999").get_data(
        as_text=True
    )
    assert "Bakker" in html


@pytest.mark.parametrize("odd", ["2147483648", "9223372036854775808", "99999999999999999999"])
def test_an_id_too_large_for_the_database_is_a_404(client, noord, odd):
    """/cases/99999999999999999999: the URL's int went into the query and overflowed (500 on
    SQLite and PostgreSQL). Ids above PostgreSQL's integer now answer 404 like a missing one."""
    client.login(LEAD)
    case = noord["case_id"]
    for url in (
        f"/cases/{odd}",
        f"/cases/{case}/plan/goals/{odd}",
        f"/resources/{odd}",
        f"/discussion-items/{odd}",
        f"/reviews/{odd}",
    ):
        assert client.get(url).status_code == 404, url
    resp = client.submit(f"/cases/{odd}/edit", {"version": "1"}, page="/cases")
    assert resp.status_code == 404


@pytest.mark.parametrize("target", ["/cases\r\nX-Injected: 1", "/cases\n", "/x\ty"])
def test_next_with_a_newline_falls_back(client, noord, target):
    """next="/cases\\r\\nX-Injected: 1" went into the Location header, which Werkzeug refuses
    (ValueError, a 500): the language switch, the task form and the login's ?next= now fall
    back to their usual page."""
    client.login(PRO)
    resp = client.submit("/language", {"lang": "en", "next": target}, page="/cases")
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/cases"
    resp = client.submit(
        f"/tasks/{noord['task_id']}/done",
        {"version": "1", "next": target},
        page=f"/discussion-items/{noord['item_discussed']}",
    )
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/dashboard"
    client.logout()
    client.get("/login")
    resp = client.post(
        f"/login?next={quote(target)}",
        data={"email": PRO, "password": PASSWORD, "csrf_token": client.csrf_token("/login")},
    )
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/cases"


def test_download_of_a_family_whose_name_is_not_latin_1(client, noord):
    """Family 'Yılmaz': the name went into Content-Disposition as it is, and a WSGI server
    (gunicorn) cannot send a header that is not latin-1 (a 500 in production; the test client
    does not notice). The name now goes in filename* (RFC 6266), with an ASCII fallback."""
    from tests.conftest import form_version

    client.login(PRO)
    case = noord["case_id"]
    page = f"/cases/{case}/family/edit"
    version = form_version(client.get(page).get_data(as_text=True))
    resp = client.submit(page, {"name": "Yılmaz", "postcode": "1234 AB", "version": version})
    assert resp.status_code == 302
    for fmt, name in (("json", "dossier"), ("pdf", "dossier")):
        asked = client.submit(f"/cases/{case}/printouts/file", {"format": fmt}, page=page)
        resp = client.get(f"{asked.headers['Location']}/download")
        assert resp.status_code == 200
        header = resp.headers["Content-Disposition"]
        header.encode("latin-1")
        assert f'filename="{name}-Ylmaz-{case}.' in header
        assert f"filename*=UTF-8''{name}-Y%C4%B1lmaz-{case}." in header


@pytest.mark.parametrize(
    "content",
    [b"\r\x00", b"name;kind;contact_name\r\nBuurt\x00huis;other;Mira\r\n"],
    ids=["stray carriage return", "NUL in a value"],
)
def test_csv_import_of_a_broken_file(app, client, noord, content):
    """A CSV file b'\\r\\x00' made the csv module raise (500); a NUL byte in a value went into
    the database (500 on PostgreSQL). Now: the file is refused, or imported without the NUL."""
    import io

    from sqlalchemy import select

    from wijkteam.core.db import db
    from wijkteam.resources.models import Resource

    client.login(PRO)
    resp = client.submit(
        "/resources/import",
        {"file": (io.BytesIO(content), "sociale-kaart.csv")},
        page="/resources/import",
        content_type="multipart/form-data",
    )
    assert resp.status_code in (302, 422)
    with app.app_context():
        names = set(db.scalars(select(Resource.name)))
    assert not any("\x00" in name for name in names)
    if b"Buurt" in content:
        assert resp.status_code == 302 and "Buurthuis" in names


def test_a_number_of_400_digits_is_refused_not_a_500(client, noord):
    """professional_score=111...1 (400 digits): NumberRange turned it into a float to check for
    NaN and overflowed (500). Scores and ages now get their usual message."""
    client.login(PRO)
    huge = "1" * 400
    case = noord["case_id"]
    for page, data in (
        (
            f"/cases/{case}/plan/goals/{noord['goal_id']}/scores/new",
            {"scored_on": "2026-03-10", "professional_score": huge},
        ),
        (
            f"/cases/{case}/safety/{noord['concern_id']}/scores/new",
            {"scored_on": "2026-03-10", "family_score": huge},
        ),
        ("/resources/new", {"name": "Buurthuis", "kind": "other", "age_from": huge}),
    ):
        resp = client.submit(page, data, page=page)
        assert resp.status_code == 422, page
        html = resp.get_data(as_text=True)
        assert (
            "Een score is een getal van 0 tot 10." in html
            or "leeftijd in van 0 tot en met 120" in html
        )
    html = client.get(page).get_data(as_text=True)
    assert 'max="120"' in html and 'min="0"' in html  # still shown to the browser


@pytest.mark.parametrize("goal", ["abc", "\u00b2", "9" * 5_000, "1e5", "0x10"])
def test_a_score_row_whose_goal_is_no_number_keeps_the_note(client, noord, goal):
    """scores-0-goal_id=abc on a note with a score: the goal id went through int() after the
    form was valid (500), and the note's typed text was lost. Now the form comes back (422)
    with its message above the scores and the text still in it."""

    client.login(PRO)
    page = f"/cases/{noord['case_id']}/notes/new"
    resp = client.submit(
        page,
        {
            "contact_on": clock.today().isoformat(),
            "kind": "home_visit",
            "question": "Wat ik typte blijft staan.",
            "scores-0-goal_id": goal,
            "scores-0-family_score": "6",
            "save_draft": "y",
        },
        page=page,
    )
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "Wat ik typte blijft staan." in html
    assert "Dit formulier is buiten de app aangepast." in html


def _import(client, text: str):
    import io

    return client.submit(
        "/resources/import",
        {"file": (io.BytesIO(text.encode("utf-8")), "sociale-kaart.csv")},
        page="/resources/import",
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize("age", ["\u00b2", "9" * 5_000, "1e5", "0x10", "abc", "1_000"])
def test_csv_import_of_an_age_that_is_no_whole_number(app, client, noord, age):
    """age_from='²' passed str.isdigit() and then int() refused it (500); 5,000 digits: int()
    refuses more than 4,300 (500). Now the import is refused (422), the row's message names
    the value, and nothing is imported."""
    from html import unescape

    from sqlalchemy import func, select

    from tests.fuzz.strategies import csv_text
    from wijkteam.core.db import db
    from wijkteam.resources.models import Resource

    client.login(PRO)
    with app.app_context():
        before = db.scalar(select(func.count(Resource.id)))
    resp = _import(client, csv_text([{}, {"age_from": age}]))
    assert resp.status_code == 422
    html = unescape(resp.get_data(as_text=True))
    assert f"'{age[:20]}" in html and "is geen heel getal." in html
    with app.app_context():
        assert db.scalar(select(func.count(Resource.id))) == before


@pytest.mark.parametrize(("age", "read"), [("\u0663", 3), ("\u0661\u0662", 12), (" 12 ", 12)])
def test_csv_import_reads_whole_numbers_as_a_form_does(app, client, noord, age, read):
    """Digits of another script and spaces around the number are read, as a form's number
    field reads them."""
    from sqlalchemy import select

    from tests.fuzz.strategies import csv_text
    from wijkteam.core.db import db
    from wijkteam.resources.models import Resource

    client.login(PRO)
    resp = _import(client, csv_text([{"name": "Speeltuin Noord", "age_to": age, "age_from": "0"}]))
    assert resp.status_code == 302
    with app.app_context():
        assert db.scalar(select(Resource.age_to).where(Resource.name == "Speeltuin Noord")) == read
