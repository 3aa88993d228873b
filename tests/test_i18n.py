"""Dutch is the default; everyone can switch to English and back."""

from __future__ import annotations

from wijkteam.auth.models import User
from wijkteam.core.db import db


def test_dutch_by_default(client, world):
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="nl">' in html
    assert "Inloggen" in html


def test_switch_to_english_and_back_before_login(client, world):
    resp = client.submit("/language", {"lang": "en", "next": "/login"})
    assert resp.status_code == 302
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in html and "Log in" in html
    client.submit("/language", {"lang": "nl", "next": "/login"})
    assert "Inloggen" in client.get("/login").get_data(as_text=True)


def test_choice_survives_login_and_is_remembered_on_the_account(client, other_client, world, app):
    client.english()
    client.login("pro.noord@test.example")
    assert "Cases" in client.get("/cases").get_data(as_text=True)
    client.submit("/language", {"lang": "en", "next": "/cases"}, page="/cases")
    with app.app_context():
        assert db.get(User, world.pro_noord).locale == "en"
    other_client.login("pro.noord@test.example")  # a new browser: the account's choice
    assert '<html lang="en">' in other_client.get("/cases").get_data(as_text=True)


def test_unknown_language_and_foreign_next_are_ignored(client, world):
    resp = client.submit("/language", {"lang": "xx", "next": "https://evil.example/"})
    assert resp.headers["Location"] in ("/cases", "http://localhost/cases")
    assert '<html lang="nl">' in client.get("/login").get_data(as_text=True)


def test_dates_follow_the_language(client, world):
    case_id = world.case(world.pro_noord, name="Bakker")  # opened 5 January 2026
    client.login("pro.noord@test.example")
    assert "5 jan 2026" in client.get(f"/cases/{case_id}").get_data(as_text=True)
    client.english()
    assert "Jan 5, 2026" in client.get(f"/cases/{case_id}").get_data(as_text=True)


def test_moments_are_shown_to_the_minute_in_dutch_time_and_the_audit_trail_to_the_second(app):
    """A note's "finished", a history card's "before": the day and the time in Dutch time,
    without seconds ("4 dec 2026, 14:48"); the audit trail keeps the seconds."""
    from datetime import datetime

    from flask import render_template_string
    from flask_babel import force_locale

    page = "{{ winter|datetime }} · {{ summer|datetime }} · {{ winter|datetime('medium') }}"
    moments = {"winter": datetime(2026, 12, 4, 13, 48, 45), "summer": datetime(2026, 7, 4, 13, 5)}
    with app.test_request_context("/"):
        with force_locale("nl"):
            dutch = render_template_string(page, **moments)
        with force_locale("en"):
            english = render_template_string(page, **moments)
    assert dutch == "4 dec 2026, 14:48 · 4 jul 2026, 15:05 · 4 dec 2026, 14:48:45", dutch
    assert (
        english
        == "Dec 4, 2026, 2:48\u202fPM · Jul 4, 2026, 3:05\u202fPM · Dec 4, 2026, 2:48:45\u202fPM"
    ), english


def test_every_page_writes_its_moments_in_one_way():
    """Moments read "4 dec 2026, 14:48" on every page (the default of the datetime filter);
    only the audit trail and the admins' access changes keep the seconds. The printout pages
    and the outcome overview wrote "05-12-2026, 18:03" ("short") until 2026-12-04."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "templates"
    formats = {
        (path.relative_to(root).as_posix(), fmt)
        for path in root.rglob("*.html")
        for fmt in re.findall(r"\|\s*datetime\s*\(([^)]*)\)", path.read_text())
    }
    assert formats == {
        ("audit/case.html", '"medium"'),
        ("admin/changes.html", '"medium"'),
    }, formats


def test_switching_language_is_no_edit_of_the_account(client, other_client, world, app):
    """An admin editing an account while its owner switches language gets no conflict."""
    from tests.conftest import form_version

    other_client.login("admin@test.example")
    page = f"/admin/users/{world.pro_noord}/edit"
    version = form_version(other_client.get(page).get_data(as_text=True))
    client.login("pro.noord@test.example")
    client.submit("/language", {"lang": "en", "next": "/cases"}, page="/cases")
    with app.app_context():
        assert db.get(User, world.pro_noord).locale == "en"
    resp = other_client.submit(
        page,
        {
            "display_name": "Pro Noord Renamed",
            "email": "pro.noord@test.example",
            "role": "professional",
            "team_id": str(world.noord),
            "active": "y",
            "password": "",
            "version": version,
        },
        page=page,
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[:1500]
    with app.app_context():
        user = db.get(User, world.pro_noord)
        assert (user.display_name, user.locale) == ("Pro Noord Renamed", "en")


def test_the_requests_translations_follow_force_locale_and_refresh(app):
    """Looked up once per request (wijkteam/web/i18n.py, issue 21), and still switched at once
    by force_locale (the printouts) and refresh, for Python, lazy and template strings."""
    from datetime import date

    from flask import render_template_string, session
    from flask_babel import force_locale, gettext, lazy_gettext, refresh

    save = lazy_gettext("Save")
    page = "{{ _('Save') }} {{ day|date }}"
    with app.test_request_context("/"):
        assert gettext("Save") == "Opslaan" and str(save) == "Opslaan"
        assert render_template_string(page, day=date(2026, 3, 5)) == "Opslaan 5 mrt 2026"
        with force_locale("en"):
            assert gettext("Save") == "Save" and str(save) == "Save"
            assert render_template_string(page, day=date(2026, 3, 5)) == "Save Mar 5, 2026"
            with force_locale("ar"):
                assert gettext("Who") == "من"
            assert gettext("Save") == "Save"
        assert gettext("Save") == "Opslaan"
        session["lang"] = "en"
        assert gettext("Save") == "Opslaan"  # chosen for this request already
        refresh()
        assert gettext("Save") == "Save" and str(save) == "Save"


def test_wtforms_own_messages_follow_the_language_of_the_moment(app):
    """WTForms' catalogue is read once per language and process (wijkteam/web/forms.py,
    issue 21), and its messages still follow the request's language, force_locale included;
    our own wording for a choice or number still comes first; outside a request, English."""
    from contextlib import nullcontext

    from flask_babel import force_locale
    from wtforms import StringField
    from wtforms.validators import InputRequired, Length

    from wijkteam.web.forms import AppForm

    class Probe(AppForm):
        name = StringField(validators=[InputRequired(), Length(min=3)])

    def errors(data: dict[str, str], language: str | None = None) -> list[str]:
        with app.test_request_context("/", method="POST", data=data):
            with force_locale(language) if language else nullcontext():
                form = Probe(meta={"csrf": False})
                form.validate()
                return form.name.errors

    assert errors({}) == ["Dit veld is vereist."]
    assert errors({"name": "ab"}) == ["Veld moet minstens 3 karakters lang zijn."]  # ngettext
    assert errors({"name": "ab"}, "en") == ["Field must be at least 3 characters long."]
    assert errors({"name": "ab"}) == ["Veld moet minstens 3 karakters lang zijn."]
    with app.test_request_context("/"):
        messages = Probe(meta={"csrf": False}).meta.get_translations(None)
        assert messages.gettext("Not a valid choice.") == "Kies een van de mogelijkheden."
        with force_locale("en"):
            assert messages.gettext("Invalid input.") == "Invalid input."
        assert messages.gettext("Invalid input.") == "Ongeldige invoer."
    assert messages.gettext("Invalid input.") == "Invalid input."  # no request: as written
    # Read once per language and process: the same catalogue object every time.
    from wijkteam.web.forms import _wtforms_catalogue

    assert _wtforms_catalogue("nl") is _wtforms_catalogue("nl")


def test_the_templates_gettext_answers_as_jinjas_own(app):
    """The templates' `_()` and `gettext` keep each string without variables per catalogue
    (wijkteam/web/i18n.py, issue 21); what they answer equals what Jinja's i18n extension
    with Flask-Babel answers: escaped variables, "%%" as "%", Markup in an autoescaped
    template and plain text in one that is not, in the language of the moment."""
    from flask import render_template_string
    from flask_babel import force_locale, get_translations
    from jinja2.ext import _make_new_gettext, _make_new_ngettext

    from wijkteam.web.i18n import template_gettext, template_ngettext

    jinjas = _make_new_gettext(lambda s: get_translations().ugettext(s))
    jinjas_n = _make_new_ngettext(lambda s, p, n: get_translations().ungettext(s, p, n))
    page = (
        "{{ _('Save') }}|{{ gettext('Save') }}|{{ _('Cases') }}|{{ _('No such string <b>') }}|"
        "{{ _('Family %(name)s', name=name) }}|{{ _('100%% sure <i>') }}|"
        "{% trans %}Save{% endtrans %}|{% trans name=name %}Family {{ name }}{% endtrans %}|"
        "{% for n in (1, 3) %}{% set twice = n * 2 %}"
        "{{ ngettext('%(num)d strength chosen', '%(num)d strengths chosen', twice - n) }}|"
        "{{ ngettext('<i>%(num)d</i> for %(name)s', '<i>%(num)d</i> %%, %(name)s', n, name=name) }}"
        "|"
        "{% trans count=n %}{{ count }} strength chosen{% pluralize %}"
        "{{ count }} strengths chosen{% endtrans %}|{% endfor %}"
    )
    name = "<Jansen & zn>"
    with app.test_request_context("/"):
        env = app.jinja_env
        assert env.globals["_"] is template_gettext and env.globals["gettext"] is template_gettext
        assert env.globals["ngettext"] is template_ngettext
        plain = env.overlay(autoescape=False)
        answers = {}
        for language in ("nl", "en", "nl"):
            with force_locale(language):
                for escaped, each in ((True, env), (False, plain)):
                    # the second time from what was kept, each time with another name
                    for other in ("De Vries", name):
                        ours = each.from_string(page).render(name=other)
                        jinja = each.from_string(page).render(
                            name=other, _=jinjas, gettext=jinjas, ngettext=jinjas_n
                        )
                        assert ours == jinja, (language, escaped)
                        answers[language, escaped] = ours
                assert render_template_string("{{ _('Save') }}") == ours.split("|")[0]
    assert answers["nl", True].split("|")[:3] == ["Opslaan", "Opslaan", "Casussen"]
    assert answers["en", True].split("|")[:3] == ["Save", "Save", "Cases"]
    # the variables escaped, the catalogue's own text not (it is ours), "%%" read as "%"
    assert answers["nl", True].split("|")[3:6] == [
        "No such string <b>",
        "Gezin &lt;Jansen &amp; zn&gt;",
        "100% sure <i>",
    ]
    assert answers["nl", False].split("|")[4] == "Gezin <Jansen & zn>"
    assert answers["en", True].split("|")[6:8] == ["Save", "Family &lt;Jansen &amp; zn&gt;"]
    # ngettext in a loop that sets a variable, the plural from the catalogue (a made-up
    # plural too, with its variables escaped), and {% trans count %} (not in the catalogue)
    assert answers["nl", True].split("|")[8:14] == [
        "1 kracht gekozen",
        "<i>1</i> for &lt;Jansen &amp; zn&gt;",
        "1 strength chosen",
        "3 krachten gekozen",
        "<i>3</i> %, &lt;Jansen &amp; zn&gt;",
        "3 strengths chosen",
    ]


def test_the_templates_gettext_takes_no_copy_of_the_context(app, monkeypatch):
    """Jinja copies the whole template context for each call of a function that takes it,
    made in a loop or block that set a variable of its own (`Context.derived`). `_()`,
    `gettext` and `ngettext` take only the evaluation context (issue 21: some forty copies
    per plan page); a function that does take the context still gets its copy."""
    from jinja2 import pass_context
    from jinja2.runtime import Context

    copies = []
    derived = Context.derived
    monkeypatch.setattr(
        Context, "derived", lambda self, locals=None: copies.append(1) or derived(self, locals)
    )
    page = (
        "{% for n in (1, 2) %}{% set twice = n * 2 %}"
        "{{ _('Save') }}{{ gettext('Cases') }}{{ ngettext('%(num)d x', '%(num)d xs', twice) }}"
        "{{ _('Family %(name)s', name=twice) }}{{ takes() }};{% endfor %}"
    )
    with app.test_request_context("/"):
        html = app.jinja_env.from_string(page).render(
            takes=pass_context(lambda context: context.resolve("twice"))
        )
    assert html == "OpslaanCasussen2 xsGezin 22;OpslaanCasussen4 xsGezin 44;"
    assert len(copies) == 2  # for the one function here that takes the context
