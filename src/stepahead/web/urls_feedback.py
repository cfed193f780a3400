"""Feedback, nudges and concerns pages (issue 13, capabilities 4–6), part of the `web` namespace."""

from django.urls import path

from .views import concerns, feedback, nudges

urlpatterns = [
    # Members
    path("partnerships/<int:pk>/feedback/", feedback.partnership_feedback, name="partnership_feedback"),
    path("partnerships/<int:pk>/fit-check/", feedback.fit_check, name="fit_check"),
    path("partnerships/<int:pk>/sessions/<int:session_pk>/pulse/", feedback.pulse, name="pulse"),
    path("partnerships/<int:pk>/rematch/", feedback.rematch, name="rematch"),
    path("partnerships/<int:pk>/surveys/<int:survey_pk>/", feedback.survey_answer, name="survey_answer"),
    path("partnerships/<int:pk>/concern/", concerns.concern_new, name="concern_new"),
    path("concerns/", concerns.concern_list, name="concerns"),
    path("concerns/<int:pk>/", concerns.concern_detail, name="concern"),
    path("concerns/<int:pk>/act/", concerns.concern_act, name="concern_act"),
    path("my/reminders/", nudges.preferences, name="nudge_preferences"),
    # Programme managers
    path("programmes/<int:pk>/feedback/", feedback.programme_surveys, name="programme_surveys"),
    path("programmes/<int:pk>/feedback/support/", concerns.support_contact, name="support_contact"),
    path("programmes/<int:pk>/surveys/<int:survey_pk>/", feedback.programme_survey, name="programme_survey"),
    path(
        "programmes/<int:pk>/surveys/<int:survey_pk>/questions/",
        feedback.survey_question,
        name="survey_question",
    ),
    path("programmes/<int:pk>/at-risk/", nudges.at_risk, name="at_risk"),
]
