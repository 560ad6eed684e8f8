from __future__ import annotations

import factory

from revisewise.accounts.models import Centre, Cohort, Membership, Role, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Faker("name", locale="en_GB")
    password = factory.django.Password("correct-horse-battery-staple")


class CentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Centre

    name = factory.Sequence(lambda n: f"Training Centre {n}")
    slug = factory.Sequence(lambda n: f"training-centre-{n}")


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    centre = factory.SubFactory(CentreFactory)
    name = factory.Sequence(lambda n: f"Business Admin L3, cohort {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    cohort = factory.SubFactory(CohortFactory)
    centre = factory.SelfAttribute("cohort.centre")
    role = Role.LEARNER


class CentreAdminMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    cohort = None
    centre = factory.SubFactory(CentreFactory)
    role = Role.CENTRE_ADMIN
