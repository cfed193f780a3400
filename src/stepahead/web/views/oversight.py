"""HR: the "Partnerships" page of a programme and its CSV export (status, sessions against
cadence, last activity, reasons). Built on `lifecycle.oversight`, which never reads session
content."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from stepahead.core.partnering import HR_STATUS_WORDS, HrStatus
from stepahead.errors import DomainError
from stepahead.lifecycle import oversight
from stepahead.lifecycle.agreements import TEMPLATE_FIELDS
from stepahead.lifecycle.services import template_for, update_agreement_template
from stepahead.partnerships.models import Partnership
from stepahead.web.access import OrgRequest, hr_required, managed_programme
from stepahead.web.lifecycle_forms import AgreementTemplateForm

PAGE_SIZE = 50
CHUNK = 500  # CSV rows read at a time
CSV_HEADER = [
    "partnership", "kind", "members", "status", "at risk because", "sessions held", "sessions expected",
    "cadence (days)", "last activity", "decline reasons", "early end reason",
]  # fmt: skip


def _filters(request: OrgRequest) -> tuple[str, str]:
    status = request.GET.get("status", "")
    return (status if status in {s.value for s in HrStatus} else ""), request.GET.get("q", "").strip()[:100]


@hr_required
def partnerships_page(request: OrgRequest, pk: int) -> HttpResponse:
    programme = managed_programme(request, pk)
    now = timezone.now()
    status, query = _filters(request)
    found = oversight.overview(programme=programme, now=now, status=status, query=query)
    page = Paginator(found.only("pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    counts = oversight.status_counts(programme=programme, now=now)
    return render(
        request,
        "web/programmes/partnerships.html",
        {
            "section": "programmes",
            "programme": programme,
            "page_obj": page,
            "rows": list(oversight.rows(oversight.detailed(page.object_list), now)),
            "status": status,
            "query": query,
            "statuses": [(s.value, HR_STATUS_WORDS[s], counts[s]) for s in HrStatus],
        },
    )


@hr_required
def partnerships_csv(request: OrgRequest, pk: int) -> HttpResponse:
    """Every partnership the filters select, one line each (read in chunks for big programmes)."""
    programme = managed_programme(request, pk)
    now = timezone.now()
    status, query = _filters(request)
    found = oversight.overview(programme=programme, now=now, status=status, query=query)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="partnerships-{programme.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    ids = list(found.values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = oversight.detailed(Partnership(pk=pk) for pk in ids[start : start + CHUNK])
        writer.writerows(_csv_line(row) for row in oversight.rows(chunk, now))
    return response


def _csv_line(row: oversight.Row) -> list[str]:
    values = [
        row.partnership.pk, row.partnership.get_kind_display(), row.members, row.status_words,
        "; ".join(row.risk), row.held, "" if row.expected is None else row.expected,
        row.cadence_days or "", row.last_activity.isoformat() if row.last_activity else "",
        " | ".join(row.decline_reasons), row.end_reason,
    ]  # fmt: skip
    return [_safe(str(value)) for value in values]


def _safe(cell: str) -> str:
    """No spreadsheet formulas from people's words (CSV injection)."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


@hr_required
@require_http_methods(["GET", "POST"])
def agreement_template(request: OrgRequest, pk: int) -> HttpResponse:
    """The programme manager edits the defaults every new agreement starts from."""
    programme = managed_programme(request, pk)
    template = template_for(programme)
    initial = {name: getattr(template, name) for name in TEMPLATE_FIELDS}
    form = AgreementTemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            update_agreement_template(actor=request.user, programme=programme, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Saved. New agreements start from these terms.")
            return redirect("web:programme_detail", pk=pk)
    return render(
        request,
        "web/programmes/agreement_template.html",
        {"section": "programmes", "programme": programme, "form": form},
        status=400 if request.method == "POST" else 200,
    )
