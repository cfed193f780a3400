"""ISMCP evidence report (HTML and PDF), attached evidence, and the public "How we match" page."""

from __future__ import annotations

import hashlib
import os
from dataclasses import asdict

from django import forms
from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST
from weasyprint import CSS, HTML  # type: ignore[import-untyped]

from stepahead.core.how_we_match import Parameters, how_we_match
from stepahead.core.ismcp import AWARDS, CRITERIA
from stepahead.errors import DomainError
from stepahead.insights.evidence import evidence_report
from stepahead.insights.models import CRITERION_CHOICES, MAX_DOCUMENT_BYTES, EvidenceDocument
from stepahead.insights.services import attach_evidence, remove_evidence
from stepahead.programmes.models import Programme
from stepahead.programmes.policies import can_view_programme
from stepahead.programmes.selectors import programme_in
from stepahead.web.access import OrgRequest, hr_required, managed_programme, member_required

PDF_CACHE_SECONDS = 24 * 3600  # the HTML carries the date, so a cached PDF is never a day old


class EvidenceForm(forms.Form):
    criterion = forms.ChoiceField(label="Criterion", choices=CRITERION_CHOICES)
    title = forms.CharField(label="Title", max_length=200)
    statement = forms.CharField(label="Statement", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    document = forms.FileField(label="Document (optional, up to 5 MB)", required=False)


def _context(request: OrgRequest, programme: Programme) -> dict[str, object]:
    return {
        "section": "programmes",
        "programme": programme,
        "report": evidence_report(programme, today=timezone.localdate()),
        "awards": AWARDS,
    }


@hr_required
def evidence(request: OrgRequest, pk: int) -> HttpResponse:
    programme = managed_programme(request, pk)
    context = _context(request, programme)
    context["form"] = EvidenceForm(initial={"criterion": request.GET.get("criterion", "")})
    return render(request, "web/evidence/page.html", context)


@hr_required
def evidence_pdf(request: OrgRequest, pk: int) -> HttpResponse:
    programme = managed_programme(request, pk)
    html = render_to_string("web/evidence/print.html", _context(request, programme), request=request)
    pdf = _pdf(html, request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ismcp-evidence-{programme.pk}.pdf"'
    return response


def _pdf(html: str, base_url: str) -> bytes:
    """The report's PDF. WeasyPrint's layout is most of the PDF's time (1–2 s at 100k people,
    the report's queries the rest), so an unchanged report (same HTML: same evidence, same day)
    is served from the cache instead of being laid out again."""
    stylesheet = str(finders.find("web/css/evidence-print.css"))
    key = "evidence-pdf:" + hashlib.sha256(f"{html}{os.path.getmtime(stylesheet)}".encode()).hexdigest()
    pdf: bytes | None = cache.get(key)
    if pdf is None:
        pdf = HTML(string=html, base_url=base_url).write_pdf(stylesheets=[CSS(filename=stylesheet)])
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf


@hr_required
@require_POST
def evidence_attach(request: OrgRequest, pk: int) -> HttpResponse:
    programme = managed_programme(request, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        context = _context(request, programme)
        context["form"] = form
        return render(request, "web/evidence/page.html", context, status=400)
    upload = form.cleaned_data["document"]
    content = b""
    if upload is not None:
        if upload.size > MAX_DOCUMENT_BYTES:
            form.add_error("document", f"“{upload.name}” is larger than 5 MB.")
            context = _context(request, programme)
            context["form"] = form
            return render(request, "web/evidence/page.html", context, status=400)
        content = upload.read()
    try:
        attach_evidence(
            actor=request.user,
            programme=programme,
            criterion=form.cleaned_data["criterion"],
            title=form.cleaned_data["title"],
            statement=form.cleaned_data["statement"],
            file_name=upload.name if upload else "",
            content_type=(upload.content_type or "") if upload else "",
            content=content,
        )
    except DomainError as error:
        form.add_error(None, str(error))
        context = _context(request, programme)
        context["form"] = form
        return render(request, "web/evidence/page.html", context, status=400)
    code = form.cleaned_data["criterion"]
    messages.success(request, f"Evidence added to {code} {CRITERIA[code].text}")
    return redirect(f"{request.path.rsplit('attach/', 1)[0]}#c-{code.replace('.', '-')}")


def _document(request: OrgRequest, pk: int, doc: int) -> EvidenceDocument:
    programme = managed_programme(request, pk)
    try:
        return programme.evidence_documents.get(pk=doc)
    except EvidenceDocument.DoesNotExist as error:
        raise Http404("No such document.") from error


@hr_required
def evidence_document(request: OrgRequest, pk: int, doc: int) -> HttpResponse:
    document = _document(request, pk, doc)
    if not document.file_name:
        raise Http404("This evidence is a statement without a document.")
    response = HttpResponse(bytes(document.content), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{document.file_name}"'
    return response


@hr_required
@require_POST
def evidence_remove(request: OrgRequest, pk: int, doc: int) -> HttpResponse:
    document = _document(request, pk, doc)
    remove_evidence(actor=request.user, document=document)
    messages.success(request, f"Removed “{document.title}”.")
    return redirect("web:evidence", pk=pk)


@member_required
def how_we_match_page(request: OrgRequest, pk: int) -> HttpResponse:
    """Published to everyone who can see the programme, including people deciding to join."""
    try:
        programme = programme_in(organisation=request.org, pk=pk)
    except Programme.DoesNotExist as error:
        raise Http404("No such programme.") from error
    if not can_view_programme(user=request.user, programme=programme):
        raise Http404("No such programme.")
    parameters = Parameters(**{name: getattr(programme, name) for name in Parameters.__dataclass_fields__})
    return render(
        request,
        "web/evidence/how_we_match.html",
        {"programme": programme, "parts": how_we_match(parameters), "parameters": asdict(parameters)},
    )
