import factory
from factory.django import DjangoModelFactory

from units import services
from units.models import LiaisonPoint, Person, SupervisionGroup, Unit, User

PASSWORD = "test-pass-123"


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"测试单位{n}")
    code = factory.Sequence(lambda n: f"T{n:05d}")
    kind = Unit.Kind.DEPARTMENT
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Units get their tree path from the service, as in the application.
        return services.unit_create(**kwargs)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"人员{n}")
    position = "副主任"
    is_team_member = True


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = "张"
    first_name = factory.Sequence(lambda n: f"{n}")
    role = User.Role.UNIT_STAFF
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class SupervisionGroupFactory(DjangoModelFactory):
    class Meta:
        model = SupervisionGroup
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"第{n}督导组")

    @factory.post_generation
    def units(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.units.set(extracted)

    @factory.post_generation
    def members(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.members.set(extracted)


class LiaisonPointFactory(DjangoModelFactory):
    class Meta:
        model = LiaisonPoint

    leader = factory.SubFactory(PersonFactory)
    unit = factory.SubFactory(UnitFactory)
