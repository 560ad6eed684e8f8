"""The canonical YAML format: a qualification and its units with every item.

Documented in docs/content-format.md.

`dump_canonical` writes plain data as YAML deterministically (same data, same bytes), and
`parse_canonical` reads it back into frozen dataclasses, reporting the line of any problem.
A file holds one qualification per YAML document; several documents may follow one another.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import yaml

from revisewise.content.importers.common import ContentFileError, decode_content, sha256_hex
from revisewise.content.importers.plans import CanonicalPlan, is_plan_document, read_plan
from revisewise.content.models import ItemKind, QualificationType

FORMAT_MARKER = "revisewise_content"
FORMAT_VERSION = 1
KINDS = [kind.value for kind in ItemKind]


@dataclass(frozen=True)
class CanonicalItem:
    kind: str
    uuid: str | None
    name: str
    text: str
    source_file: str
    source_line: int
    line: int


@dataclass(frozen=True)
class CanonicalUnit:
    uuid: str | None
    title: str
    slug: str
    synopsis: str
    stated_counts: dict[str, int]
    items: tuple[CanonicalItem, ...]
    line: int


@dataclass(frozen=True)
class CanonicalQualification:
    uuid: str | None
    title: str
    slug: str
    subject: str
    awarding_body: str
    level: int | None
    qualification_type: str
    reference: str
    family: str
    overview: str
    shared_items: tuple[CanonicalItem, ...]
    units: tuple[CanonicalUnit, ...]
    line: int


@dataclass(frozen=True)
class CanonicalFile:
    path: str
    sha256: str
    qualifications: tuple[CanonicalQualification, ...]
    # Assessment-plan documents (importers/plans.py), imported after the qualifications.
    plans: tuple[CanonicalPlan, ...] = ()


class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_canonical(documents: list[dict[str, Any]]) -> str:
    """Write one YAML document per qualification; the same data always gives the same text."""
    return yaml.dump_all(
        documents,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,
        explicit_start=True,
    )


class _LineDict(dict[str, Any]):
    line = 0


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> _LineDict:
    mapping = _LineDict({str(k): v for k, v in loader.construct_mapping(node, deep=True).items()})
    mapping.line = node.start_mark.line + 1
    return mapping


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def parse_canonical(raw: bytes, *, name: str, max_bytes: int) -> CanonicalFile:
    """Read a canonical YAML file; raise `ContentFileError` with the line of the first problem."""
    text = decode_content(raw, file=name, max_bytes=max_bytes)
    try:
        documents = [d for d in yaml.load_all(text, Loader=_Loader) if d is not None]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise ContentFileError(f"invalid YAML: {problem}", line=line, file=name) from exc
    if not documents:
        raise ContentFileError("the file holds no YAML document", file=name)
    reader = _Reader(name)
    plans = tuple(read_plan(reader, d) for d in documents if is_plan_document(d))
    qualifications = tuple(reader.qualification(d) for d in documents if not is_plan_document(d))
    return CanonicalFile(name, sha256_hex(raw), qualifications, plans)


class _Reader:
    """Validate the plain data of a YAML document, naming the file and line of each problem."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, reason: str, line: int) -> ContentFileError:
        return ContentFileError(reason, line=line, file=self.file)

    def mapping(self, value: Any, what: str, line: int) -> _LineDict:
        if not isinstance(value, _LineDict):
            raise self.fail(f"{what} must be a mapping", line)
        return value

    def text(self, data: _LineDict, key: str, *, required: bool = False) -> str:
        value = data.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise self.fail(f"'{key}' must be text", data.line)
        if required and not value.strip():
            raise self.fail(f"'{key}' is required", data.line)
        return value

    def uuid(self, data: _LineDict) -> str | None:
        value = data.get("uuid")
        if value is None:
            return None
        try:
            return str(uuid.UUID(str(value)))
        except ValueError as exc:
            raise self.fail(f"'uuid' is not a UUID: {value!r}", data.line) from exc

    def qualification(self, document: Any) -> CanonicalQualification:
        root = self.mapping(document, "the document", 1)
        if root.get(FORMAT_MARKER) != FORMAT_VERSION:
            raise self.fail(
                f"not a canonical content file: expected '{FORMAT_MARKER}: {FORMAT_VERSION}'",
                root.line,
            )
        data = self.mapping(root.get("qualification"), "'qualification'", root.line)
        level = data.get("level")
        if level is not None and (not isinstance(level, int) or not 1 <= level <= 8):
            raise self.fail("'level' must be a number from 1 to 8", data.line)
        qualification_type = self.text(data, "type") or QualificationType.OTHER.value
        if qualification_type not in QualificationType.values:
            choices = ", ".join(QualificationType.values)
            raise self.fail(f"'type' must be one of {choices}", data.line)
        units = root.get("units") or []
        if not isinstance(units, list):
            raise self.fail("'units' must be a list", root.line)
        return CanonicalQualification(
            uuid=self.uuid(data),
            title=self.text(data, "title", required=True),
            slug=self.text(data, "slug"),
            subject=self.text(data, "subject", required=True),
            awarding_body=self.text(data, "awarding_body", required=True),
            level=level,
            qualification_type=qualification_type,
            reference=self.text(data, "reference"),
            family=self.text(data, "family"),
            overview=self.text(data, "overview"),
            shared_items=self.items(data.get("shared_items"), data.line),
            units=tuple(self.unit(u, root.line) for u in units),
            line=data.line,
        )

    def unit(self, value: Any, line: int) -> CanonicalUnit:
        data = self.mapping(value, "a unit", line)
        counts = data.get("stated_counts") or {}
        if not isinstance(counts, dict) or not all(isinstance(v, int) for v in counts.values()):
            raise self.fail("'stated_counts' must map section names to numbers", data.line)
        return CanonicalUnit(
            uuid=self.uuid(data),
            title=self.text(data, "title", required=True),
            slug=self.text(data, "slug"),
            synopsis=self.text(data, "synopsis"),
            stated_counts={str(k): v for k, v in counts.items()},
            items=self.items(data.get("items"), data.line),
            line=data.line,
        )

    def items(self, value: Any, line: int) -> tuple[CanonicalItem, ...]:
        if value is None:
            return ()
        data = self.mapping(value, "'items'", line)
        result: list[CanonicalItem] = []
        for kind, entries in data.items():
            if kind not in KINDS:
                raise self.fail(
                    f"unknown item kind {kind!r}; use one of {', '.join(KINDS)}", data.line
                )
            if not isinstance(entries, list):
                raise self.fail(f"'{kind}' must be a list of items", data.line)
            result.extend(self.item(kind, entry, data.line) for entry in entries)
        return tuple(result)

    def item(self, kind: str, value: Any, line: int) -> CanonicalItem:
        data = self.mapping(value, f"a {kind} item", line)
        name, text = self.text(data, "name"), self.text(data, "text")
        if not name.strip() and not text.strip():
            raise self.fail(f"a {kind} item needs a name or a text", data.line)
        source = self.text(data, "source")
        source_file, source_line = "", data.line
        if source:
            file, _, number = source.rpartition(":")
            if not file or not number.isdigit():
                raise self.fail("'source' must read 'file:line'", data.line)
            source_file, source_line = file, int(number)
        return CanonicalItem(kind, self.uuid(data), name, text, source_file, source_line, data.line)
