from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core.health import health_view
from dashboards.views import files as file_views
from dashboards.views import pages as dashboard_views

handler400 = "core.errors.bad_request"

admin.site.site_header = "教育实践活动管理系统"
admin.site.site_title = "教育实践活动管理系统"
admin.site.index_title = "系统管理"

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("healthz/", health_view, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("files/<int:attachment_pk>/", file_views.attachment_download, name="attachment"),
    path("notifications/", file_views.notifications, name="notifications"),
    path("reports/", file_views.report_list, name="reports"),
    path("reports/<int:report_pk>/", file_views.report_status, name="report_status"),
    path("reports/<int:report_pk>/download/", file_views.report_download, name="report_download"),
    path(
        "units/<int:unit_pk>/reports/<str:kind>/<str:fmt>/",
        file_views.report_start,
        name="report_start",
    ),
    path("", include("units.urls")),
    path("", include("campaign.urls")),
    path("", include("rectification.urls")),
    path("", include("feedback.urls")),
    path("", include("appraisals.urls")),
    path("", include("dashboards.urls")),
]
