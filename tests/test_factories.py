"""Every model of the project has a factory (tests/factories.py), and each one makes a row
the database accepts and the model's own validation passes."""

import inspect

import pytest
from django.apps import apps
from factory.django import DjangoModelFactory

from tests import factories

PROJECT_APPS = ("core", "units", "campaign", "feedback", "appraisals", "rectification", "reminders")
FACTORIES = [
    cls
    for _name, cls in inspect.getmembers(factories, inspect.isclass)
    if issubclass(cls, DjangoModelFactory) and cls.__module__ == factories.__name__
]


def test_every_model_of_the_project_has_a_factory():
    models = {m for m in apps.get_models() if m._meta.app_label in PROJECT_APPS}
    covered = {f._meta.model for f in FACTORIES}
    assert sorted(m.__name__ for m in models - covered) == []


@pytest.mark.django_db
@pytest.mark.parametrize("factory_class", FACTORIES, ids=lambda f: f.__name__)
def test_the_factory_makes_a_valid_saved_row(factory_class):
    row = factory_class()
    model = factory_class._meta.model
    assert model.objects.filter(pk=row.pk).exists()
    row = model.objects.get(pk=row.pk)
    row.full_clean()
    factory_class()  # and a second one beside it: sequences keep unique fields apart
    assert model.objects.count() >= 2
