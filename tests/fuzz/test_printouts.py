"""The family's papers (PDF and JSON) made from hostile text typed into the forms: the
printouts still come out, with headers a server can send."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from tests.conftest import form_version
from tests.fuzz.conftest import PRO, check_response, fuzz_settings
from tests.fuzz.strategies import HOSTILE_TEXT, VERY_LONG_TEXT

# Within the forms' limits, so that the text is saved and printed (and not refused at once).
TEXT = st.one_of(HOSTILE_TEXT, VERY_LONG_TEXT).map(lambda t: t[:4000].strip() or "x")
NAME = HOSTILE_TEXT.map(lambda t: t[:80].strip() or "x")


def test_printouts_of_hostile_text(client, town, error_log):
    team = town.noord
    case = team["case_id"]
    client.login(PRO)
    printed: list[int] = []
    saved: list[str] = []

    def post(page: str, data: dict[str, str], url: str | None = None) -> None:
        html = client.get(page).get_data(as_text=True)
        if 'name="version"' in html:
            data = {**data, "version": form_version(html)}
        resp = client.submit(url or page, data, page=page)
        check_response(client, resp, f"POST {url or page}", error_log)
        if resp.status_code == 302:
            saved.append(page)

    @fuzz_settings(3)
    @given(goal=TEXT, step=TEXT, success=TEXT, helper=NAME, family=NAME, strengths=TEXT)
    def one_round(goal, step, success, helper, family, strengths) -> None:
        plan = f"/cases/{case}/plan"
        post(
            f"{plan}/goals/{team['goal_id']}/edit",
            {
                "text": goal,
                "first_step": step,
                "member_ids": str(team["family_member_id"]),
                "why_it_matters": goal,
            },
        )
        post(f"{plan}/successes/new", {"noted_on": "2026-03-10", "text": success})
        post(
            f"/cases/{case}/network/{team['network_member_id']}/edit",
            {"name": helper, "kind": "family", "closeness": "close", "quality": "supportive"},
        )
        post(f"/cases/{case}/family/edit", {"name": family, "postcode": "1234 AB"})
        post(
            f"/cases/{case}/notes/new",
            {
                "contact_on": "2026-03-10",
                "kind": "home_visit",
                "strengths": strengths,
                "finalise": "y",
            },
        )
        for url, data in (
            (f"/cases/{case}/printouts/plan", {"lang": "nl"}),
            (f"/cases/{case}/printouts/file", {"format": "pdf"}),
            (f"/cases/{case}/printouts/file", {"format": "json"}),
        ):
            asked = client.submit(url, data, page=f"/cases/{case}")
            assert asked.status_code == 303, url
            job = asked.headers["Location"]
            check_response(client, client.get(job), f"GET {job}", error_log)
            resp = client.get(f"{job}/download")
            assert resp.status_code == 200, url
            check_response(client, resp, f"GET {job}/download", error_log)
            if data.get("format") != "json":
                assert len(PdfReader(io.BytesIO(resp.data)).pages) >= 1
        printed.append(1)

    one_round()
    assert printed
    assert len(set(saved)) >= 4, saved  # the hostile text was saved, so it was printed
