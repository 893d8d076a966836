from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core import views as core_views

admin.site.site_header = "教育实践活动管理系统"
admin.site.site_title = "教育实践活动管理系统"
admin.site.index_title = "系统管理"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("files/<int:attachment_pk>/", core_views.attachment_download, name="attachment"),
    path("notifications/", core_views.notifications, name="notifications"),
    path("", include("units.urls")),
    path("", include("campaign.urls")),
    path("", include("rectification.urls")),
    path("", include("feedback.urls")),
]
