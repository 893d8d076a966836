from django.urls import path

from .views import calendar, inspections, materials, office, workspace

app_name = "campaign"

urlpatterns = [
    # The campaign office: campaigns, enrolment, the task list.
    path("campaigns/", office.campaign_list, name="list"),
    path("campaigns/new/", office.campaign_create, name="create"),
    path("campaigns/<int:campaign_pk>/", office.campaign_detail, name="detail"),
    path("campaigns/<int:campaign_pk>/enrol/", office.campaign_enrol, name="enrol"),
    path("campaigns/<int:campaign_pk>/tasks/", office.campaign_tasks, name="tasks"),
    path("stages/<int:stage_pk>/tasks/new/", office.definition_create, name="definition_create"),
    path(
        "task-definitions/<int:definition_pk>/edit/", office.definition_edit, name="definition_edit"
    ),
    path(
        "task-definitions/<int:definition_pk>/batch/",
        office.definition_batch,
        name="definition_batch",
    ),
    # A unit's workspace: tasks, quotas, activity records.
    path("participations/<int:participation_pk>/", workspace.workspace, name="workspace"),
    path(
        "participations/<int:participation_pk>/activities/new/",
        workspace.activity_create,
        name="activity_create",
    ),
    path("activities/<int:activity_pk>/", workspace.activity_detail, name="activity_detail"),
    path("activities/<int:activity_pk>/edit/", workspace.activity_edit, name="activity_edit"),
    path("activities/<int:activity_pk>/delete/", workspace.activity_delete, name="activity_delete"),
    path("tasks/<int:task_pk>/complete/", workspace.task_complete, name="task_complete"),
    path("tasks/<int:task_pk>/reopen/", workspace.task_reopen, name="task_reopen"),
    # Materials, the supervision group's review, stage gates, individual talks.
    path(
        "participations/<int:participation_pk>/materials/",
        materials.material_list,
        name="materials",
    ),
    path(
        "participations/<int:participation_pk>/materials/start/",
        materials.material_start,
        name="material_start",
    ),
    path("materials/<int:material_pk>/", materials.material_detail, name="material"),
    path("materials/<int:material_pk>/submit/", materials.material_submit, name="material_submit"),
    path("materials/<int:material_pk>/diff/", materials.material_diff, name="material_diff"),
    path("revisions/<int:revision_pk>/review/", materials.review_decide, name="review"),
    path("reviews/", materials.review_queue, name="review_queue"),
    path(
        "participations/<int:participation_pk>/stages/<int:stage_pk>/waive/",
        materials.stage_waive,
        name="stage_waive",
    ),
    path("participations/<int:participation_pk>/talks/", materials.talks, name="talks"),
    # Dashboards: the campaign office's, a supervisor's, a unit's.
    # Random inspections (随机调研) and their bulletin (随机抽查通报).
    path(
        "campaigns/<int:campaign_pk>/inspections/",
        inspections.inspection_list,
        name="inspections",
    ),
    path("inspections/<int:inspection_pk>/", inspections.inspection_detail, name="inspection"),
    path(
        "inspections/<int:inspection_pk>/bulletin.pdf",
        inspections.inspection_bulletin,
        name="inspection_bulletin",
    ),
    path(
        "inspection-findings/<int:finding_pk>/",
        inspections.inspection_finding,
        name="inspection_finding",
    ),
    # Deadlines as an iCalendar feed behind a private token.
    path("calendar/", calendar.calendar_settings, name="calendar"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
]
