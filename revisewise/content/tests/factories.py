from __future__ import annotations

from pathlib import Path

import factory
from django.conf import settings

from revisewise.content.models import (
    AwardingBody,
    ContentItem,
    ItemKind,
    Qualification,
    QualificationType,
    Subject,
    Unit,
)
from revisewise.content.services import content_item_key


class SubjectFactory(factory.django.DjangoModelFactory[Subject]):
    class Meta:
        model = Subject
        django_get_or_create = ("slug",)

    name = "Business Administration"
    slug = "business-administration"


class AwardingBodyFactory(factory.django.DjangoModelFactory[AwardingBody]):
    class Meta:
        model = AwardingBody
        django_get_or_create = ("slug",)

    name = "Highfield Qualifications"
    slug = "highfield-qualifications"


class QualificationFactory(factory.django.DjangoModelFactory[Qualification]):
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


class UnitFactory(factory.django.DjangoModelFactory[Unit]):
    class Meta:
        model = Unit

    qualification = factory.SubFactory(QualificationFactory)
    title = factory.Sequence(lambda n: f"Customer journey knowledge {n}")
    slug = factory.Sequence(lambda n: f"customer-journey-knowledge-{n}")
    synopsis = "This element focuses on the customer journey, from first contact to follow-up."
    position = factory.Sequence(int)


def _key(item: ContentItem) -> str:
    return content_item_key(kind=item.kind, name=item.name, text=item.text)


class ContentItemFactory(factory.django.DjangoModelFactory[ContentItem]):
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


SEEDS_DIR = Path(settings.BASE_DIR) / "demo" / "seeds"


def seed_file(prefix: str) -> Path:
    """Return the seed page whose file name starts with `prefix` ("000", "002", ...)."""
    return next(SEEDS_DIR.glob(f"{prefix}_*.txt"))


def copy_seeds(target: Path, *prefixes: str) -> Path:
    """Copy the named seed pages (all of them when none is named) into `target`; return it."""
    target.mkdir(parents=True, exist_ok=True)
    for source in sorted(SEEDS_DIR.glob("*.txt")):
        if not prefixes or source.name[:3] in prefixes:
            (target / source.name).write_bytes(source.read_bytes())
    return target
