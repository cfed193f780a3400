"""The server-rendered web UI. Names are stable: templates, tests and emails reverse them."""

from django.templatetags.static import static
from django.urls import path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from . import urls_feedback
from .views import (
    enrolments,
    evidence,
    home,
    imports,
    insights,
    lifecycle,
    oversight,
    pairing,
    participant,
    people,
    programmes,
    review,
    review_edits,
    runs,
    suggestions,
    training,
    whatif,
)

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    # Browsers ask for /favicon.ico whatever the page says; answer instead of a 404 on every page.
    # Lazily: in production the manifest is read on the first request, not when URLs load (so
    # `check --deploy` and `collectstatic` run before any static files are collected).
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("web/img/favicon.svg"), permanent=True)),
    path("dashboard/", home.dashboard, name="dashboard"),
    path("organisation/", home.switch_org, name="switch_org"),
    # HR: people
    path("people/", people.people_list, name="people"),
    path("people/<int:pk>/", people.person_detail, name="person"),
    path("people/<int:pk>/training/add/", training.person_training_add, name="person_training_add"),
    path(
        "people/<int:pk>/training/<int:record>/", training.person_training_edit, name="person_training_edit"
    ),
    path(
        "people/<int:pk>/training/<int:record>/remove/",
        training.person_training_remove,
        name="person_training_remove",
    ),
    # Everyone: their own mentor training and accreditation
    path("me/training/", training.my_training, name="my_training"),
    path("me/training/add/", training.my_training_add, name="my_training_add"),
    path("me/training/<int:record>/", training.my_training_edit, name="my_training_edit"),
    path("me/training/<int:record>/remove/", training.my_training_remove, name="my_training_remove"),
    path("skills/suggestions/", suggestions.skill_suggestions, name="skill_suggestions"),
    path("skills/suggestions/decide/", suggestions.decide_suggestion, name="decide_suggestion"),
    path("people/import/", imports.import_upload, name="import_upload"),
    path("people/import/columns/", imports.import_mapping, name="import_mapping"),
    path("people/import/commit/", imports.import_commit, name="import_commit"),
    path("people/import/done/", imports.import_done, name="import_done"),
    # HR: programmes
    path("programmes/", programmes.programme_list, name="programme_list"),
    path("programmes/new/", programmes.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", programmes.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/edit/", programmes.programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/status/", programmes.programme_status, name="programme_status"),
    path("programmes/<int:pk>/invite/", programmes.programme_invite, name="programme_invite"),
    path(
        "programmes/<int:pk>/late-enrolment/",
        programmes.programme_late_enrolment,
        name="programme_late_enrolment",
    ),
    path("programmes/<int:pk>/enrolments/", programmes.enrolment_list, name="enrolments"),
    path("programmes/<int:pk>/enrolments/new/", enrolments.enrol_for, name="enrolment_new"),
    path("programmes/<int:pk>/enrolments/<int:epk>/edit/", enrolments.enrolment_edit, name="enrolment_edit"),
    path(
        "programmes/<int:pk>/enrolments/<int:epk>/withdraw/",
        enrolments.enrolment_withdraw,
        name="enrolment_withdraw",
    ),
    path("programmes/<int:pk>/emails/<int:email_pk>/resend/", programmes.email_resend, name="email_resend"),
    # HR: insights (charts, tables and their downloads)
    path("insights/", insights.org_insights, name="org_insights"),
    path("insights/status/", insights.org_insights_status, name="org_insights_status"),
    path("insights/refresh/", insights.org_insights_refresh, name="org_insights_refresh"),
    path("insights/<slug:slug>.<str:fmt>", insights.org_chart_download, name="org_chart_download"),
    path("programmes/<int:pk>/insights/", insights.programme_insights, name="programme_insights"),
    path(
        "programmes/<int:pk>/insights/status/",
        insights.programme_insights_status,
        name="programme_insights_status",
    ),
    path(
        "programmes/<int:pk>/insights/refresh/",
        insights.programme_insights_refresh,
        name="programme_insights_refresh",
    ),
    path(
        "programmes/<int:pk>/insights/<slug:slug>.<str:fmt>",
        insights.programme_chart_download,
        name="programme_chart_download",
    ),
    # HR: the ISMCP evidence report; everyone who can see a programme: How we match
    path("programmes/<int:pk>/evidence/", evidence.evidence, name="evidence"),
    path("programmes/<int:pk>/evidence.pdf", evidence.evidence_pdf, name="evidence_pdf"),
    path("programmes/<int:pk>/evidence/attach/", evidence.evidence_attach, name="evidence_attach"),
    path("programmes/<int:pk>/evidence/<int:doc>/", evidence.evidence_document, name="evidence_document"),
    path("programmes/<int:pk>/evidence/<int:doc>/remove/", evidence.evidence_remove, name="evidence_remove"),
    path("programmes/<int:pk>/how-we-match/", evidence.how_we_match_page, name="how_we_match"),
    # HR: partnerships after approval
    path("programmes/<int:pk>/partnerships/", oversight.partnerships_page, name="partnerships"),
    path("programmes/<int:pk>/partnerships.csv", oversight.partnerships_csv, name="partnerships_csv"),
    path("programmes/<int:pk>/agreement-template/", oversight.agreement_template, name="agreement_template"),
    # HR: match runs
    path("programmes/<int:pk>/runs/", runs.run_history, name="run_history"),
    path("programmes/<int:pk>/runs/start/", runs.run_start, name="run_start"),
    path("programmes/<int:pk>/runs/compare/", runs.run_compare, name="run_compare"),
    path("programmes/<int:pk>/runs/what-if/", whatif.what_if, name="what_if"),
    path("programmes/<int:pk>/runs/<int:run_pk>/adopt/", whatif.adopt, name="adopt_run"),
    path("programmes/<int:pk>/runs/<int:run_pk>/", runs.run_detail, name="run_detail"),
    path("programmes/<int:pk>/runs/<int:run_pk>/cancel/", runs.run_cancel, name="run_cancel"),
    # HR: review of proposals
    path("programmes/<int:pk>/proposals/", review.proposals, name="proposals"),
    path("programmes/<int:pk>/proposals/swap/", review_edits.swap, name="swap"),
    path("programmes/<int:pk>/proposals/replace/", review_edits.replace, name="replace"),
    path("programmes/<int:pk>/proposals/approve/", review.approve, name="approve"),
    path("programmes/<int:pk>/proposals/pair/check/", pairing.pair_check, name="pair_check"),
    path("programmes/<int:pk>/proposals/pair/", pairing.pair, name="pair"),
    path("programmes/<int:pk>/proposals/circle/check/", pairing.circle_check, name="circle_check"),
    path("programmes/<int:pk>/proposals/circle/", pairing.circle_add, name="circle_add"),
    path("programmes/<int:pk>/proposals/<int:ppk>/pin/", review_edits.pin, name="pin"),
    path("programmes/<int:pk>/proposals/<int:ppk>/discard/", review_edits.discard, name="discard"),
    path("programmes/<int:pk>/proposals/<int:ppk>/restore/", review_edits.restore, name="restore"),
    # Participants
    path("my/programmes/", participant.my_programmes, name="my_programmes"),
    path("my/programmes/<int:pk>/", participant.my_programme, name="my_programme"),
    path("my/programmes/<int:pk>/withdraw/", participant.withdraw, name="withdraw"),
    path("my/programmes/<int:pk>/join/", participant.join, name="join"),
    path("my/matches/", participant.my_matches, name="my_matches"),
    path("my/skills/lookup/", participant.skill_lookup, name="skill_lookup"),
    # Linked from emails (programmes.invitations._queue_invitation, partnerships.notifications)
    path("invitations/<str:token>/", participant.invitation, name="invitation"),
    path("partnerships/<int:pk>/", participant.partnership_detail, name="partnership"),
    path("partnerships/<int:pk>/accept/", participant.partnership_accept, name="partnership_accept"),
    path("partnerships/<int:pk>/decline/", participant.partnership_decline, name="partnership_decline"),
    # Members: the partnership's life (agreement, sessions, goals, closure)
    path("partnerships/<int:pk>/agreement/", lifecycle.agreement, name="agreement"),
    path("partnerships/<int:pk>/agreement/confirm/", lifecycle.agreement_confirm, name="agreement_confirm"),
    path(
        "partnerships/<int:pk>/agreement/v<int:number>/",
        lifecycle.agreement_version,
        name="agreement_version",
    ),
    path("partnerships/<int:pk>/sessions/new/", lifecycle.session_new, name="session_new"),
    path("partnerships/<int:pk>/sessions/<int:spk>/", lifecycle.session_detail, name="session"),
    path("partnerships/<int:pk>/sessions/<int:spk>/invite.ics", lifecycle.session_ics, name="session_ics"),
    path("partnerships/<int:pk>/sessions/<int:spk>/log/", lifecycle.session_log, name="session_log"),
    path("partnerships/<int:pk>/sessions/<int:spk>/notes/", lifecycle.session_note, name="session_note"),
    path("partnerships/<int:pk>/sessions/<int:spk>/cancel/", lifecycle.session_cancel, name="session_cancel"),
    path("partnerships/<int:pk>/goals/<int:gpk>/progress/", lifecycle.goal_progress, name="goal_progress"),
    path("partnerships/<int:pk>/close/", lifecycle.close, name="close"),
]
urlpatterns += urls_feedback.urlpatterns
