from django.urls import path

from .views import importing, sorting
from .views import opinions as views
from .views import summary as summaries

app_name = "feedback"

urlpatterns = [
    # Staff: a unit's opinions (征求意见), entry one by one or a symposium's notes at once.
    path("units/<int:unit_pk>/opinions/", views.opinion_list, name="opinion_list"),
    path("units/<int:unit_pk>/opinions/new/", views.opinion_create, name="opinion_create"),
    path("units/<int:unit_pk>/opinions/batch/", views.opinion_batch, name="opinion_batch"),
    path("units/<int:unit_pk>/opinions/poster/", views.opinion_poster, name="opinion_poster"),
    # Excel import (helper A): the template, the upload, the last failed import's problems.
    path("units/<int:unit_pk>/opinions/import/", importing.opinion_import, name="opinion_import"),
    path(
        "units/<int:unit_pk>/opinions/import/template/",
        importing.opinion_import_template,
        name="opinion_import_template",
    ),
    path(
        "units/<int:unit_pk>/opinions/import/errors/",
        importing.opinion_import_errors,
        name="opinion_import_errors",
    ),
    # The summary (意见汇总, helper A): the page, its Excel table, submitting it for review.
    path(
        "units/<int:unit_pk>/opinions/summary/", summaries.opinion_summary, name="opinion_summary"
    ),
    path(
        "units/<int:unit_pk>/opinions/summary/xlsx/",
        summaries.opinion_summary_xlsx,
        name="opinion_summary_xlsx",
    ),
    path(
        "units/<int:unit_pk>/opinions/summary/submit/",
        summaries.opinion_summary_submit,
        name="opinion_summary_submit",
    ),
    path("opinions/<int:opinion_pk>/", views.opinion_detail, name="opinion_detail"),
    path("opinions/<int:opinion_pk>/annotate/", views.opinion_annotate, name="opinion_annotate"),
    path("opinions/<int:opinion_pk>/campaign/", views.opinion_campaign, name="opinion_campaign"),
    path("opinions/<int:opinion_pk>/reply/", views.opinion_reply, name="opinion_reply"),
    # Sorting (梳理, helper B): bulk actions, status moves, near-duplicate groups.
    path("units/<int:unit_pk>/opinions/bulk/", sorting.opinion_bulk, name="opinion_bulk"),
    path("opinions/<int:opinion_pk>/status/", sorting.opinion_status, name="opinion_status"),
    path("units/<int:unit_pk>/opinion-groups/", sorting.group_list, name="group_list"),
    path(
        "units/<int:unit_pk>/opinion-groups/suggest/",
        sorting.groups_suggest,
        name="groups_suggest",
    ),
    path("opinion-groups/<int:opinion_group_pk>/", sorting.group_detail, name="group_detail"),
    path(
        "opinion-groups/<int:opinion_group_pk>/confirm/",
        sorting.group_confirm,
        name="group_confirm",
    ),
    path("opinion-groups/<int:opinion_group_pk>/merge/", sorting.group_merge, name="group_merge"),
    path("opinion-groups/<int:opinion_group_pk>/split/", sorting.group_split, name="group_split"),
    path(
        "opinion-groups/<int:opinion_group_pk>/dissolve/",
        sorting.group_dissolve,
        name="group_dissolve",
    ),
    # Public, no login: the opinion box (意见箱) at a stable address printed on the poster.
    path("public/units/<str:unit_code>/opinions/", views.public_box, name="public_box"),
    path(
        "public/units/<str:unit_code>/opinions/thanks/", views.public_thanks, name="public_thanks"
    ),
]
