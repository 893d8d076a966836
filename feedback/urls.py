from django.urls import path

from .views import opinions as views

app_name = "feedback"

urlpatterns = [
    # Staff: a unit's opinions (征求意见), entry one by one or a symposium's notes at once.
    path("units/<int:unit_pk>/opinions/", views.opinion_list, name="opinion_list"),
    path("units/<int:unit_pk>/opinions/new/", views.opinion_create, name="opinion_create"),
    path("units/<int:unit_pk>/opinions/batch/", views.opinion_batch, name="opinion_batch"),
    path("units/<int:unit_pk>/opinions/poster/", views.opinion_poster, name="opinion_poster"),
    path("opinions/<int:opinion_pk>/", views.opinion_detail, name="opinion_detail"),
    path("opinions/<int:opinion_pk>/annotate/", views.opinion_annotate, name="opinion_annotate"),
    # Public, no login: the opinion box (意见箱) at a stable address printed on the poster.
    path("public/units/<str:unit_code>/opinions/", views.public_box, name="public_box"),
    path(
        "public/units/<str:unit_code>/opinions/thanks/", views.public_thanks, name="public_thanks"
    ),
]
