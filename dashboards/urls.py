from django.urls import path

from .views import pages as views

app_name = "dashboards"

urlpatterns = [
    path("dashboards/", views.dashboard_home, name="dashboards"),
    path("campaigns/<int:campaign_pk>/dashboard/", views.office_dashboard, name="dashboard"),
    path(
        "campaigns/<int:campaign_pk>/supervision/",
        views.supervision_dashboard,
        name="supervision_dashboard",
    ),
    path(
        "participations/<int:participation_pk>/dashboard/",
        views.unit_dashboard,
        name="unit_dashboard",
    ),
]
