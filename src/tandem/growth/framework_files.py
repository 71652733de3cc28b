"""Career frameworks as files: the YAML or JSON a company starts from (a published ladder)
and gets back from an export. Reading checks everything before anything is written, and
every problem names where it is: the line (YAML and JSON) and the field
(`tracks[0].levels[2].code`).

The format (docs/growth.md, "Frameworks"):

    tracks:
      - key: engineering-ic
        name: Engineering IC
        description: …
        levels:
          - {code: IC1, title: Engineer I, summary: …, scope: …}
        competencies:
          - key: craft
            group: Craft
            name: Code and craft
            description: …
            expectations: {IC1: …, IC2: …}   # one per level, Markdown

Parsing is PyYAML's safe loader (no Python objects, only plain data); JSON is read by the
json module first so that its own syntax errors keep their line."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from tandem.core.validation import NOT_TEXT, first_unstorable

MAX_FILE_BYTES = 2 * 1024 * 1024
KEY_RE = re.compile(r"^[-a-zA-Z0-9_]+$")

TOP_KEYS = {"tracks"}
TRACK_KEYS = {"key", "name", "description", "levels", "competencies"}
LEVEL_KEYS = {"code", "title", "summary", "scope"}
COMPETENCY_KEYS = {"key", "group", "name", "description", "expectations"}
LIMITS = {
    "key": 50,
    "name": 150,
    "code": 20,
    "title": 150,
    "group": 100,
    "description": 5000,
    "summary": 5000,
    "scope": 5000,
    "expectation": 5000,
}


class FrameworkFileError(ValueError):
    """The file cannot be imported; `problems` lists each one, with where it is."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class LevelData:
    code: str
    title: str
    summary: str = ""
    scope: str = ""


@dataclass(frozen=True)
class CompetencyData:
    key: str
    name: str
    group: str = ""
    description: str = ""
    expectations: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TrackData:
    key: str
    name: str
    description: str = ""
    levels: tuple[LevelData, ...] = ()
    competencies: tuple[CompetencyData, ...] = ()


# --- Reading ---------------------------------------------------------------------------------


class _Lines(dict[Any, Any]):
    """A mapping that remembers on which line it and each of its keys were written."""

    line: int | None = None
    key_lines: dict[Any, int]


class _LineLoader(yaml.SafeLoader):
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        plain = super().construct_mapping(node, deep=deep)
        mapping = _Lines(plain)
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, _value in node.value:
            try:
                key = self.construct_object(key_node, deep=deep)
                mapping.key_lines[key] = key_node.start_mark.line + 1
            except (TypeError, yaml.YAMLError):  # pragma: no cover - unhashable keys fail above
                continue
        return mapping


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _LineLoader.construct_mapping,
)


def _load(text: str, fmt: str) -> Any:
    if fmt == "json":
        try:
            json.loads(text)
        except json.JSONDecodeError as error:
            raise FrameworkFileError(
                [f"Line {error.lineno}: this is not valid JSON ({error.msg})."]
            ) from error
        # JSON is YAML too: read it again through the loader that keeps the lines.
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 -- a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"Line {mark.line + 1}: " if mark is not None else ""
        problem = error.problem or error.context or "unreadable"
        kind = "JSON" if fmt == "json" else "YAML"
        raise FrameworkFileError([f"{where}this is not valid {kind} ({problem})."]) from error
    except yaml.YAMLError as error:
        raise FrameworkFileError([f"This is not valid YAML ({error})."]) from error


class _Reader:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, where: str, line: int | None, message: str) -> None:
        prefix = f"Line {line}, {where}" if line else where
        self.problems.append(f"{prefix}: {message}")

    def mapping(self, value: Any, where: str, line: int | None, allowed: set[str]) -> bool:
        if not isinstance(value, dict):
            self.fail(where, line, "expected a mapping of fields (key: value).")
            return False
        for key in value:
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                self.fail(
                    f"{where}.{key}",
                    _line_of(value, key),
                    f"unknown field; the fields here are {known}.",
                )
        return True

    def text(
        self,
        value: Any,
        key: str,
        where: str,
        *,
        required: bool = False,
        limit_key: str | None = None,
    ) -> str:
        raw = value.get(key) if isinstance(value, dict) else None
        line = _line_of(value, key)
        place = f"{where}.{key}"
        if raw is None:
            if required:
                self.fail(place, line or _line(value), "is required.")
            return ""
        if isinstance(raw, bool) or not isinstance(raw, str | int | float):
            self.fail(place, line, "expected text.")
            return ""
        text = str(raw).strip()
        if required and not text:
            self.fail(place, line, "must not be empty.")
        if first_unstorable(text) is not None:
            self.fail(place, line, f"this field {NOT_TEXT}.")
        limit = LIMITS[limit_key or key]
        if len(text) > limit:
            self.fail(place, line, f"at most {limit} characters (it has {len(text)}).")
        return text

    def key(self, value: Any, key: str, where: str) -> str:
        text = self.text(value, key, where, required=True)
        if text and not KEY_RE.match(text):
            self.fail(
                f"{where}.{key}",
                _line_of(value, key),
                "use only letters, digits, hyphens and underscores.",
            )
        return text

    def items(self, value: Any, key: str, where: str) -> list[Any]:
        raw = value.get(key) if isinstance(value, dict) else None
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.fail(f"{where}.{key}", _line_of(value, key), "expected a list.")
            return []
        return raw


def _line(value: Any) -> int | None:
    return getattr(value, "line", None)


def _line_of(value: Any, key: str) -> int | None:
    lines = getattr(value, "key_lines", None)
    return lines.get(key) if lines else None


def parse(content: bytes | str, fmt: str | None = None, *, name: str = "") -> list[TrackData]:
    """The tracks in a framework file. `fmt` is "yaml" or "json" (guessed from `name` when
    None). Raises FrameworkFileError listing every problem found."""
    if isinstance(content, bytes):
        if len(content) > MAX_FILE_BYTES:
            raise FrameworkFileError(
                [f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB."]
            )
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise FrameworkFileError(["The file is not UTF-8 text."]) from error
    else:
        text = content
    if fmt is None:
        fmt = "json" if name.lower().endswith(".json") else "yaml"
    data = _load(text, fmt)
    reader = _Reader()
    if data is None:
        raise FrameworkFileError(["The file is empty: it should list `tracks:`."])
    if not reader.mapping(data, "file", 1, TOP_KEYS):
        raise FrameworkFileError(reader.problems)
    raw_tracks = reader.items(data, "tracks", "file")
    if not raw_tracks and not reader.problems:
        reader.fail("tracks", _line_of(data, "tracks") or 1, "list at least one track.")
    tracks: list[TrackData] = []
    seen_keys: dict[str, int | None] = {}
    seen_names: dict[str, int | None] = {}
    for index, raw in enumerate(raw_tracks):
        where = f"tracks[{index}]"
        if not reader.mapping(raw, where, _line(raw), TRACK_KEYS):
            continue
        track = _track(reader, raw, where)
        if track.key:
            if track.key in seen_keys:
                reader.fail(
                    f"{where}.key",
                    _line_of(raw, "key"),
                    f"track key {track.key} appears twice (first on line {seen_keys[track.key]}).",
                )
            seen_keys.setdefault(track.key, _line_of(raw, "key"))
        if track.name:
            if track.name.lower() in seen_names:
                reader.fail(f"{where}.name", _line_of(raw, "name"), "another track has this name.")
            seen_names.setdefault(track.name.lower(), _line_of(raw, "name"))
        tracks.append(track)
    if reader.problems:
        raise FrameworkFileError(reader.problems)
    return tracks


def _track(reader: _Reader, raw: dict[str, Any], where: str) -> TrackData:
    key = reader.key(raw, "key", where)
    name = reader.text(raw, "name", where, required=True)
    description = reader.text(raw, "description", where)
    levels: list[LevelData] = []
    codes: dict[str, int | None] = {}
    raw_levels = reader.items(raw, "levels", where)
    if not raw_levels:
        reader.fail(
            f"{where}.levels", _line_of(raw, "levels") or _line(raw), "list at least one level."
        )
    for index, raw_level in enumerate(raw_levels):
        at = f"{where}.levels[{index}]"
        if not reader.mapping(raw_level, at, _line(raw_level), LEVEL_KEYS):
            continue
        code = reader.text(raw_level, "code", at, required=True)
        if code and code.lower() in codes:
            reader.fail(
                f"{at}.code",
                _line_of(raw_level, "code"),
                f"level code {code} appears twice in this track (first on line "
                f"{codes[code.lower()]}).",
            )
        codes.setdefault(code.lower(), _line_of(raw_level, "code"))
        levels.append(
            LevelData(
                code=code,
                title=reader.text(raw_level, "title", at, required=True),
                summary=reader.text(raw_level, "summary", at),
                scope=reader.text(raw_level, "scope", at),
            )
        )
    level_codes = [level.code for level in levels if level.code]
    competencies: list[CompetencyData] = []
    competency_keys: dict[str, int | None] = {}
    for index, raw_competency in enumerate(reader.items(raw, "competencies", where)):
        at = f"{where}.competencies[{index}]"
        if not reader.mapping(raw_competency, at, _line(raw_competency), COMPETENCY_KEYS):
            continue
        competency_key = reader.key(raw_competency, "key", at)
        if competency_key and competency_key in competency_keys:
            reader.fail(
                f"{at}.key",
                _line_of(raw_competency, "key"),
                f"competency key {competency_key} appears twice in this track (first on line "
                f"{competency_keys[competency_key]}).",
            )
        competency_keys.setdefault(competency_key, _line_of(raw_competency, "key"))
        competencies.append(
            CompetencyData(
                key=competency_key,
                name=reader.text(raw_competency, "name", at, required=True),
                group=reader.text(raw_competency, "group", at),
                description=reader.text(raw_competency, "description", at),
                expectations=_expectations(reader, raw_competency, at, level_codes),
            )
        )
    return TrackData(
        key=key,
        name=name,
        description=description,
        levels=tuple(levels),
        competencies=tuple(competencies),
    )


def _expectations(
    reader: _Reader, raw: dict[str, Any], where: str, level_codes: list[str]
) -> dict[str, str]:
    at = f"{where}.expectations"
    found = raw.get("expectations")
    line = _line_of(raw, "expectations") or _line(raw)
    if found is None:
        found = {}
    if not isinstance(found, dict):
        reader.fail(at, line, "expected a mapping of level code to text.")
        return {}
    texts: dict[str, str] = {}
    for code in found:
        if str(code) not in level_codes:
            reader.fail(
                f"{at}.{code}",
                _line_of(found, code),
                f"no level {code} in this track (its levels are {', '.join(level_codes)}).",
            )
            continue
        text = reader.text(found, code, at, limit_key="expectation")
        texts[str(code)] = text
    name = raw.get("name") or raw.get("key") or where
    for code in level_codes:
        if not texts.get(code):
            reader.fail(at, line, f"competency {name} has no description for level {code}.")
    return texts


# --- Writing ---------------------------------------------------------------------------------


def as_data(tracks: list[dict[str, Any]]) -> dict[str, Any]:
    """The file's content for tracks given in the frozen-version shape (FrameworkVersion's
    `content`), which is what an export writes."""
    return {
        "tracks": [
            {
                "key": track["key"],
                "name": track["name"],
                **({"description": track["description"]} if track["description"] else {}),
                "levels": [
                    {
                        key: level[key]
                        for key in ("code", "title", "summary", "scope")
                        if key in ("code", "title") or level[key]
                    }
                    for level in track["levels"]
                ],
                "competencies": [
                    {
                        key: competency[key]
                        for key in ("key", "group", "name", "description", "expectations")
                        if key in ("key", "name", "expectations") or competency[key]
                    }
                    for competency in track["competencies"]
                ],
            }
            for track in tracks
        ]
    }


class _Dumper(yaml.SafeDumper):
    """Block style, keys in the file's own order, lists indented under their key, and long
    texts as readable blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _text_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _text_representer)


def dump(tracks: list[dict[str, Any]], fmt: str) -> str:
    data = as_data(tracks)
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=92,
        default_flow_style=False,
    )
