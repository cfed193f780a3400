"""The people import wizard: upload → mapping → preview with every problem → commit."""

import io
import os
import stat
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stepahead.people.models import Person
from tests.integration.factories import make_person

GOOD = (
    "id,name,email,function,grade,skills,goals\n"
    "A1,Ada,ada@acme.test,Finance,3,excel:3; sql:1,sql\n"
    "B1,Bo,bo@acme.test,Data,3,sql:3,excel\n"
)
BAD = (
    "id,name,email,function,grade,skills,goals\n"
    "A1,Ada,not-an-email,Finance,3,excel:3,sql\n"
    "B1,Bo,bo@acme.test,Data,x,sql:3,excel\n"
    "C1,Cy,cy@acme.test,Sales,3,excel:9,sql\n"
    "D1,Di,di@acme.test,Sales,3,excel:2,sql\n"
)
ODD_HEADERS = "Staff number,Full name,Seniority,Department\nA1,Ada,3,Finance\nB1,Bo,4,Data\n"


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def upload(browser, text, name="people.csv"):
    return browser.post(
        reverse("web:import_upload"),
        {"file": SimpleUploadedFile(name, text.encode()), "level_source": "self"},
        page=reverse("web:import_upload"),
    )


def test_clean_file_previews_then_imports_with_a_summary(world, browser_for):
    make_person(world.org, "B1", 2)
    browser = browser_for(world.manager)
    preview = upload(browser, GOOD)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "No problems found" in html
    assert "Import 2 people" in html
    assert Person.objects.filter(organisation=world.org).count() == 1  # a preview writes nothing
    done = browser.post(reverse("web:import_commit"), follow=True)
    assert done.status_code == 200
    assert b"1 created, 1 updated." in done.content
    assert Person.objects.get(organisation=world.org, hris_id="B1").grade == 3
    # the upload is gone: committing again is a conflict, not a second import
    assert browser.post(reverse("web:import_commit")).status_code == 409


def test_file_with_errors_lists_every_bad_row_and_imports_nothing(world, browser_for):
    browser = browser_for(world.manager)
    response = upload(browser, BAD)
    html = response.content.decode()
    assert response.status_code == 400
    for line, column in (("2", "email"), ("3", "grade"), ("4", "skills")):
        assert f'<td data-label="Line" class="num">{line}</td>' in html
        assert f'<td data-label="Column">{column}</td>' in html
    assert "Import valid rows only (1)" in html
    assert not Person.objects.exists()
    # refusing a partial import unless asked is the service's rule; asking imports the good row
    done = browser.post(reverse("web:import_commit"), {"partial": "1"}, follow=True)
    assert b"1 created, 0 updated." in done.content
    assert list(Person.objects.values_list("hris_id", flat=True)) == ["D1"]


def test_unknown_headers_ask_for_a_column_mapping(world, browser_for):
    browser = browser_for(world.manager)
    response = upload(browser, ODD_HEADERS)
    assert response.status_code == 302
    assert response.url == reverse("web:import_mapping")
    page = browser.get(response.url).content.decode()
    assert "File column “Staff number”" in page
    # id not chosen: 400 with the message
    missing = browser.post(
        reverse("web:import_mapping"), {"col_0": "", "col_1": "name", "col_2": "grade", "col_3": "function"}
    )
    assert missing.status_code == 400
    assert "holds “id”" in missing.content.decode()
    preview = browser.post(
        reverse("web:import_mapping"), {"col_0": "id", "col_1": "name", "col_2": "grade", "col_3": "function"}
    )
    assert preview.status_code == 200
    assert "Import 2 people" in preview.content.decode()
    browser.post(reverse("web:import_commit"))
    assert Person.objects.get(hris_id="A1").function == "Finance"


def test_xlsx_upload(world, browser_for):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["id", "name", "grade"])
    sheet.append(["X1", "Xi", 2])
    data = io.BytesIO()
    book.save(data)
    browser = browser_for(world.manager)
    response = browser.post(
        reverse("web:import_upload"),
        {"file": SimpleUploadedFile("people.xlsx", data.getvalue()), "level_source": "manager"},
    )
    assert response.status_code == 200
    assert "Import 1 person" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("people.txt", b"id,grade\n", "Upload a .csv or .xlsx file."),
        ("people.csv", b"", "file is empty"),
        ("people.csv", "id,grade\n1,2\n".encode("utf-16"), "not UTF-8"),
        ("people.xlsx", b"not a workbook", "could not be read as an Excel workbook"),
    ],
)
def test_bad_uploads_are_400_with_the_reason(world, browser_for, name, content, message):
    response = browser_for(world.manager).post(
        reverse("web:import_upload"), {"file": SimpleUploadedFile(name, content), "level_source": "self"}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'id="id_file_error"' in response.content.decode()


def test_mapping_without_an_upload_is_409(world, browser_for):
    assert browser_for(world.manager).get(reverse("web:import_mapping")).status_code == 409


def test_participants_cannot_import(world, browser_for):
    response = upload(browser_for(world.participant), GOOD)
    assert response.status_code == 403
    assert not Person.objects.exists()


def test_a_file_without_valid_rows_offers_no_partial_import(world, browser_for):
    response = upload(browser_for(world.manager), "id,name,grade\nA1,Ada,x\nB1,Bo,y\n")
    html = response.content.decode()
    assert response.status_code == 400
    assert "no row can be imported as it is" in html
    assert "import only the valid rows" not in html
    assert "Import valid rows only" not in html


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("id,grade,id\nA1,3,B1\n", "names &#x27;id&#x27; twice"),
        ('id,name,grade\nA1,"Ada,3\nB1,Bo,3\n', "never closed"),
        ("id,name,grade\nA1," + "a" * 140_000 + ",3\n", "longer than 131,072 characters"),
    ],
)
def test_broken_files_are_refused_at_upload_with_a_clear_message(world, browser_for, text, words):
    response = upload(browser_for(world.manager), text)
    assert response.status_code == 400
    assert words in response.content.decode()


def test_uploads_are_private_and_abandoned_ones_are_swept(world, browser_for, settings):
    folder = settings.VAR_DIR / "uploads"
    folder.mkdir(parents=True)
    abandoned = folder / ("0" * 32)
    abandoned.write_bytes(b"id,grade\nOLD,1\n")
    long_ago = time.time() - 7 * 3600
    os.utime(abandoned, (long_ago, long_ago))
    recent = folder / ("1" * 32)
    recent.write_bytes(b"id,grade\nNEW,1\n")  # another manager's wizard, still in use
    upload(browser_for(world.manager), GOOD)
    kept = [p for p in folder.iterdir() if p.name not in {recent.name}]
    assert not abandoned.exists()
    assert recent.exists()
    assert len(kept) == 1
    assert stat.S_IMODE(kept[0].stat().st_mode) == 0o600
