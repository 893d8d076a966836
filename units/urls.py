from django.urls import path

from . import views

app_name = "units"

urlpatterns = [
    path("units/", views.tree, name="tree"),
    path("units/<int:unit_pk>/", views.unit_detail, name="detail"),
    path("units/<int:unit_pk>/children/", views.children, name="children"),
    path("groups/", views.group_list, name="group_list"),
    path("groups/<int:group_pk>/", views.group_detail, name="group_detail"),
]
