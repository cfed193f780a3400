"""Insights, evidence and How we match pages: who may see them, downloads, the PDF, attaching."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from stepahead.insights.models import EvidenceDocument
from tests.integration.insights.builders import mentoring_programme


def test_managers_see_programme_insights_and_participants_do_not(world, browser_for, insights_ready):
    programme, _ = mentoring_programme(world)
    page = insights_ready(
        browser_for(world.manager), f"/programmes/{programme.pk}/insights/?period=12m&grade=x"
    )
    assert page.status_code == 200
    assert b"Function \xc3\x97 function" in page.content
    assert browser_for(world.participant).get(f"/programmes/{programme.pk}/insights/").status_code == 403
    assert browser_for(world.other_admin).get(f"/programmes/{programme.pk}/insights/").status_code == 404


def test_organisation_insights_are_for_org_admins(world, browser_for):
    mentoring_programme(world)
    assert browser_for(world.admin).get("/insights/").status_code == 200
    assert browser_for(world.manager).get("/insights/").status_code == 403


def test_chart_downloads_as_csv_and_xlsx(world, browser_for, insights_ready):
    programme, _ = mentoring_programme(world)
    client = browser_for(world.manager)
    csv = insights_ready(client, f"/programmes/{programme.pk}/insights/load.csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode().splitlines() == ["People supported,Givers", "1,1", "3,1"]
    xlsx = client.get(f"/programmes/{programme.pk}/insights/load.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["People supported", "Givers"],
        [1, 1],
        [3, 1],
    ]
    assert client.get(f"/programmes/{programme.pk}/insights/load.exe").status_code == 404
    assert client.get(f"/programmes/{programme.pk}/insights/nothing.csv").status_code == 404


def test_evidence_report_html_and_pdf(world, browser_for):
    programme, _ = mentoring_programme(world)
    client = browser_for(world.manager)
    page = client.get(f"/programmes/{programme.pk}/evidence/")
    html = page.content.decode()
    for name in (
        "1 Clarity of purpose",
        "2 Stakeholder training and briefing",
        "3 Selection and matching",
        "4 Measurement and review",
        "5 Ethics",
        "6 Administration and support",
    ):
        assert name in html
    assert "Gap — what to do:" in html
    assert "12-month cycle" in html
    pdf = client.get(f"/programmes/{programme.pk}/evidence.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert browser_for(world.participant).get(f"/programmes/{programme.pk}/evidence.pdf").status_code == 403


def test_the_pdf_is_laid_out_again_only_when_the_report_changes(world, browser_for):
    programme, _ = mentoring_programme(world)
    client = browser_for(world.manager)
    url = f"/programmes/{programme.pk}/evidence.pdf"
    first = client.get(url).content
    assert client.get(url).content == first  # unchanged report: the same document
    client.post(
        f"/programmes/{programme.pk}/evidence/attach/",
        {"criterion": "4.4", "title": "Impact study", "statement": "Retention up 4 points."},
    )
    changed = client.get(url).content
    assert changed.startswith(b"%PDF")
    assert changed != first


def test_attach_a_document_then_download_and_remove_it(world, browser_for):
    programme, _ = mentoring_programme(world)
    client = browser_for(world.manager)
    url = f"/programmes/{programme.pk}/evidence/"
    response = client.post(
        f"{url}attach/",
        {
            "criterion": "4.4",
            "title": "Impact study",
            "statement": "Retention up 4 points.",
            "document": SimpleUploadedFile("impact.txt", b"numbers", content_type="text/plain"),
        },
        page=url,
    )
    assert response.status_code == 302
    document = EvidenceDocument.objects.get()
    assert client.get(f"{url}{document.pk}/").content == b"numbers"
    assert "Impact study" in client.get(url).content.decode()
    assert browser_for(world.participant).get(f"{url}{document.pk}/").status_code == 403
    bad = client.post(f"{url}attach/", {"criterion": "4.4", "title": "Nothing"}, page=url)
    assert bad.status_code == 400
    assert "Attach a document or write a statement." in bad.content.decode()
    assert client.post(f"{url}{document.pk}/remove/", page=url).status_code == 302
    assert not EvidenceDocument.objects.exists()


def test_how_we_match_is_published_to_participants_and_linked_from_enrolment(world, browser_for):
    programme, enrolments = mentoring_programme(world)
    person = enrolments["m1"].person
    person.user = world.participant
    person.save()
    page = browser_for(world.participant).get(f"/programmes/{programme.pk}/how-we-match/")
    assert page.status_code == 200
    assert "whatever either person&#x27;s grade" in page.content.decode()
    assert browser_for(world.other_admin).get(f"/programmes/{programme.pk}/how-we-match/").status_code == 404
