from __future__ import annotations

import hashlib

import factory

from revisewise.content.models import (
    AwardingBody,
    ContentItem,
    ItemKind,
    Qualification,
    QualificationType,
    Subject,
    Unit,
)


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject
        django_get_or_create = ("slug",)

    name = "Business Administration"
    slug = "business-administration"


class AwardingBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AwardingBody
        django_get_or_create = ("slug",)

    name = "Highfield Qualifications"
    slug = "highfield-qualifications"


class QualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Qualification

    subject = factory.SubFactory(SubjectFactory)
    awarding_body = factory.SubFactory(AwardingBodyFactory)
    title = factory.Sequence(lambda n: f"Highfield Level 3 Diploma in Customer Service {n} (RQF)")
    slug = factory.Sequence(lambda n: f"highfield-level-3-diploma-in-customer-service-{n}")
    level = 3
    qualification_type = QualificationType.RQF_DIPLOMA
    family = "End-Point Assessment"
    overview = "A qualification for people who lead customer service teams."


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    qualification = factory.SubFactory(QualificationFactory)
    title = factory.Sequence(lambda n: f"Customer journey knowledge {n}")
    slug = factory.Sequence(lambda n: f"customer-journey-knowledge-{n}")
    synopsis = "This element focuses on the customer journey, from first contact to follow-up."
    position = factory.Sequence(int)


def _key(item: ContentItem) -> str:
    basis = f"{item.kind}:{(item.name or item.text).strip().lower()}"
    return hashlib.sha256(basis.encode()).hexdigest()


class ContentItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContentItem

    unit = factory.SubFactory(UnitFactory)
    qualification = factory.LazyAttribute(lambda item: item.unit.qualification)
    kind = ItemKind.CONCEPT
    position = factory.Sequence(int)
    name = factory.Sequence(lambda n: f"Concept {n}")
    text = "An explanation of the concept in plain words."
    key = factory.LazyAttribute(_key)
    source_file = "000_example.txt"
    source_line = 10
