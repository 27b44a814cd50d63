"""The event-stream loader (feedpub.yamlfast) builds exactly what PyYAML's full path builds.

Whenever :func:`load_plain` returns a document, it must equal (values, types,
key order and duplicate-key notes) what the shape check plus ``_SeedLoader``
give; when the full path refuses or fails, the fast one must step aside.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedpub.reader import DEFAULT_LIMITS, Limits, _check_shape, _SeedLoader
from feedpub.yamlfast import load_plain

REPO = Path(__file__).resolve().parents[1]
FAST = settings(max_examples=400, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def full(front: str, limits: Limits = DEFAULT_LIMITS):
    """What the reader's full path makes of ``front``: ``(data, duplicates)`` or ``None``."""
    try:
        if _check_shape(front, limits) is not None:
            return None
        loader = _SeedLoader(front)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except (yaml.YAMLError, RecursionError):
        return None
    return data, loader.duplicates


def fast(front: str, limits: Limits = DEFAULT_LIMITS):
    loader = _SeedLoader(front)
    try:
        return load_plain(loader, front, limits.max_depth, limits.max_nodes)
    finally:
        loader.dispose()


def same(a, b) -> bool:
    """Equal values of equal types, dict keys in the same order (NaN equals NaN)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(map(repr, a)) == list(map(repr, b)) and all(
            same(x, y) for x, y in zip(a.values(), b.values(), strict=True))
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


def check(front: str, limits: Limits = DEFAULT_LIMITS):
    quick = fast(front, limits)
    if quick is None:
        return None
    slow = full(front, limits)
    assert slow is not None, front
    assert same(quick[0], slow[0]), (front, quick[0], slow[0])
    assert quick[1] == slow[1], front
    return quick


def fronts(folder: Path) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*.md")):
        text = path.read_bytes().decode("utf-8-sig", "replace").replace("\r\n", "\n")
        lines = text.split("\n")
        end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")),
                   len(lines))
        found.append("\n".join(lines[1:end]))
    return found


def test_every_seed_record_takes_the_fast_path_and_builds_the_same():
    records = fronts(REPO / "seeds")
    assert records
    for front in records:
        assert check(front) is not None, front


def test_the_fuzz_corpus_builds_the_same_or_takes_the_full_path():
    for front in fronts(REPO / "benchmarks" / "fuzz-corpus" / "reader"):
        check(front)


PLAIN = [
    "a: 1\nb: 0x1f\nc: 0o17\nd: 1_000\ne: 1:30\nf: -.inf\ng: .nan\nh: ~\ni:\nj: yes\nk: 'yes'",
    "when: 2021-08-24T19:00:00Z\nday: 2021-08-24\nbad: 2021-02-30\nzone: 2021-08-24 19:00:00 +5",
    "a: 1\nb: 2\na: 3\n'a': 4\n1: x\n'1': y",
    "list: [1, 'two', {three: 3, four: [4]}, [], {}]\nempty: ''\nnull: null\nNull: NULL",
    "x:\n- - - a\n  - b\n- ? c\n  : d\n",
    "nested:\n  a:\n    b:\n      c: [1, [2, [3]]]\n",
    '"quoted key": "\\x01 value"\nplain: |\n  block\n  text\nfolded: >\n  f\n  g\n',
    "- a\n- b", "just text",
    "big: 123456789012345678901234567890\nneg: -0b101\nf: 6.8523015e+5\ns: 190:20:30.15",
    "title: 'AT&T wins!'\nplain: x & y!\nlist: [a&b, c!]",  # no anchor or tag for all that
]
NOT_PLAIN = [
    "a: &x 1\nb: *x", "base: &b {x: 1}\nnew:\n  <<: *b\n  y: 2", "a: !!str 1", "a: !!binary aGk=",
    "? [1, 2]\n: x", "a: 1\n---\nb: 2", "a: !!python/object:os.system x", "=: 1", "a: [1, 2",
    "a: b: c", "", "# nothing", "a: !!int x", "a: !!set {x}",
    "[" * 70 + "]" * 70, "a: " + "[" * 65 + "]" * 65,
]


@pytest.mark.parametrize("front", PLAIN)
def test_plain_documents_take_the_fast_path_and_build_the_same(front):
    assert check(front) is not None


@pytest.mark.parametrize("front", NOT_PLAIN)
def test_anything_unusual_is_left_to_the_full_path(front):
    assert check(front) is None


def test_depth_and_value_limits_send_the_document_to_the_full_path():
    tight = Limits(max_depth=3, max_nodes=5)
    assert check("a: [[1]]", tight) is not None
    assert check("a: [[[1]]]", tight) is None  # four levels: the full path refuses it
    assert check("a: 1\nb: 2\nc: 3", tight) is None  # six values
    assert check("a: 1\nb: 2", tight) is not None  # the mapping and four scalars
    assert check("a: 1\nb: [2]", tight) is None  # the list counts too
    assert check("a: " + "x" * 70_000) is None  # too large for the fast path


KEYS = st.text(alphabet="ab1:-'\" #&*!?[]{},.~\\\n", max_size=6)
SCALAR_TEXT = st.one_of(
    st.text(max_size=20), st.sampled_from(
        ["1", "0x1F", "1_0", "1:20", ".5", "-.INF", "true", "No", "~", "null", "", "=", "<<",
         "2021-08-24", "2021-02-30T10:00:00Z", "2021-08-24 1:2:3.4 -05:00", "0o7", "+1", "1e3"]),
)
VALUES = st.recursive(
    st.one_of(SCALAR_TEXT, st.integers(), st.floats(), st.booleans(), st.none()),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.one_of(KEYS, SCALAR_TEXT), inner, max_size=4),
    max_leaves=25,
)


@FAST
@given(VALUES, st.sampled_from([None, True, False]), st.booleans())
def test_dumped_documents_build_the_same(value, flow, sort):
    front = yaml.safe_dump({"root": value}, default_flow_style=flow, sort_keys=sort,
                           allow_unicode=True)
    assert check(front) is not None  # safe_dump writes no anchors for trees


@FAST
@given(st.text(alphabet="ab1 :-'\"#&*!?|>[]{},.~%@`\\\n\t", max_size=60))
def test_arbitrary_yaml_like_text_builds_the_same_or_takes_the_full_path(front):
    check(front)


@FAST
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "1", "'a'", '"1"', "a ", "1.0"]),
                          SCALAR_TEXT.map(repr)), max_size=6))
def test_duplicate_keys_are_noted_as_the_full_path_notes_them(pairs):
    front = "\n".join(f"{key}: {value}" for key, value in pairs)
    check(front)


# -- the shortcuts for recurring scalars (remembered values, decimal ints, timestamps) ----------

INTS = ["0", "-0", "+0", "5", "+5", "-5", "010", "007", "0o17", "0x1F", "0x_1f", "0b101",
        "-0b1", "1_000", "1__0", "1:30", "-1:30", "190:20:30", "12345678901234567890",
        "\u0663", "1\u0663", "09", "08", "0_7", "1" * 4300, "1" * 4301]
STAMPS = [
    "2021-08-24", "2021-8-24", "2021-08-4", "2021-02-30", "2021-13-01", "0000-01-01",
    "2021-08-24T19:00:00Z", "2021-08-24t19:00:00Z", "2021-08-24 19:00:00Z",
    "2021-08-24  19:00:00Z", "2021-08-24\t19:00:00", "2021-08-24T19:00:00z",
    "2021-08-24T19:00:00", "2021-08-24T9:00:00Z", "2021-08-24T24:00:00Z",
    "2021-08-24T19:60:00Z", "2021-08-24T19:00:60Z", "2021-08-24T19:00:00.5Z",
    "2021-08-24T19:00:00.123456789+05:30", "2021-08-24T19:00:00.Z", "2021-08-24T19:00:00.000001",
    "2021-08-24T19:00:00+05:00", "2021-08-24T19:00:00-05:00", "2021-08-24T19:00:00-00:00",
    "2021-08-24T19:00:00+5", "2021-08-24T19:00:00+05", "2021-08-24T19:00:00 +05:00",
    "2021-08-24T19:00:00 Z", "2021-08-24T19:00:00+24:00", "2021-08-24T19:00:00+23:59",
    "2021-08-24T19:00:00+99:99", "2021-08-24T19:00:00+05:0", "9999-12-31T23:59:59.999999Z",
    "2021-08-24T19:00:00Z ", "2021-08-24T19:00:00ZZ", "\u0662021-08-24",
]
WORDS = ["yes", "Yes", "YES", "No", "no", "ON", "on", "Off", "y", "n", "true", "False", "TRUE",
         "tRUE", "~", "null", "Null", "NULL", "nULL", "", "1.0", ".5", "1e3", "1.0e+3", "-.inf",
         ".NaN", ".nan", "+.INF", "1_0.5", "6.8523015e+5", "1:2.5", "<<", "=", "x", "2 1"]


@pytest.mark.parametrize("text", INTS + STAMPS + WORDS)
def test_scalars_the_shortcuts_see_build_the_same_alone_keyed_and_repeated(text):
    plain = yaml.safe_dump(text).removesuffix("...\n").strip()  # quoted when it must be
    raw = text if text.strip() == text else None
    for value in {plain, raw} - {None}:
        for front in (f"a: {value}", f"- {value}\n- {value}", f"{value}: 1\nb: {value}"):
            check(front)
    if raw and raw not in ("<<", "="):
        # Plain, it is whatever the loader makes of it, twice in a row (the second
        # time from the remembered values), and the same in a list.
        first, again = check(f"a: {raw}"), check(f"b: {raw}")
        assert (first is None) == (again is None)


def test_plain_decimal_ints_and_common_timestamps_are_built_as_pyyaml_builds_them():
    built = fast("a: 123\nb: 2021-08-24T19:00:00Z\nc: 2021-08-24\nd: 2021-08-24 19:00:00.25"
                 "\ne: 2021-08-24T19:00:00-05:30\nf: 010\ng: 2021-02-30")
    assert built is not None
    assert same(built[0], yaml.load("a: 123\nb: 2021-08-24T19:00:00Z\nc: 2021-08-24\n"
                                    "d: 2021-08-24 19:00:00.25\ne: 2021-08-24T19:00:00-05:30\n"
                                    "f: 010", Loader=yaml.CSafeLoader) | {"g": "2021-02-30"})
    assert built[0]["f"] == 8 and built[0]["g"] == "2021-02-30"  # octal; an impossible date


class _PlainLoader(yaml.CSafeLoader):
    """PyYAML's own safe loader (no feedpub refinements)."""


def plain_fast(front: str):
    loader = _PlainLoader(front)
    try:
        return load_plain(loader, front, 64, 1000)
    finally:
        loader.dispose()


def test_remembered_values_belong_to_one_loader_class():
    assert same(fast("a: 2021-02-30")[0], {"a": "2021-02-30"})  # feedpub keeps it as text
    assert plain_fast("a: 2021-02-30") is None  # PyYAML's constructor fails: full path
    assert plain_fast("b: 2021-02-30") is None
    assert same(fast("b: 2021-02-30")[0], {"b": "2021-02-30"})


class _YearsAreText(yaml.CSafeLoader):
    """A loader with a resolver of its own: four digits are text (the shortcuts must defer)."""


_YearsAreText.add_implicit_resolver(
    "tag:yaml.org,2002:str", __import__("re").compile(r"^[0-9]{4}$"), list("0123456789"))
_YearsAreText.yaml_implicit_resolvers = {  # put it first, ahead of the int pattern
    key: sorted(value, key=lambda pair: pair[0] != "tag:yaml.org,2002:str")
    for key, value in _YearsAreText.yaml_implicit_resolvers.items()
}


class _DatesAreDays(yaml.CSafeLoader):
    """A loader whose timestamps are something else (the shortcut must defer)."""

    def construct_yaml_timestamp(self, node):
        return ("day", node.value)


_DatesAreDays.add_constructor("tag:yaml.org,2002:timestamp",
                              _DatesAreDays.construct_yaml_timestamp)


def test_the_shortcuts_defer_to_a_loader_with_its_own_resolver_or_constructors():
    front = "a: 2021\nb: 17\nc: 2021-08-24T19:00:00Z"
    for loader_class, expected in (
        (_YearsAreText, {"a": "2021", "b": 17}),
        (_DatesAreDays, {"a": 2021, "b": 17, "c": ("day", "2021-08-24T19:00:00Z")}),
    ):
        loader = loader_class(front)
        try:
            built = load_plain(loader, front, 64, 1000)
        finally:
            loader.dispose()
        assert built is not None
        for key, value in expected.items():
            assert built[0][key] == value and type(built[0][key]) is type(value), loader_class


def _int_text(draw_sign, digits, form):
    body = {"dec": digits.lstrip("0") or "0", "oct": "0" + digits, "us": digits[:1] + "_"
            + digits[1:], "hex": "0x" + digits, "bin": "0b" + "".join(
                "1" if int(d) % 2 else "0" for d in digits), "sexa": (digits.lstrip("0") or "1")
            + ":" + digits[-2:].rjust(2, "0")}[form]
    return draw_sign + body


INT_TEXT = st.builds(_int_text, st.sampled_from(["", "+", "-"]),
                     st.text(alphabet="0123456789", min_size=1, max_size=25),
                     st.sampled_from(["dec", "oct", "us", "hex", "bin", "sexa"]))
STAMP_TEXT = st.builds(
    lambda y, mo, d, sep, h, mi, s, frac, zone: f"{y:04d}-{mo}-{d}"
    + ("" if h is None else f"{sep}{h}:{mi:02d}:{s:02d}{frac}{zone}"),
    st.integers(0, 9999), st.sampled_from(["08", "8", "12", "13", "00", "02"]),
    st.sampled_from(["24", "4", "29", "30", "31", "00"]), st.sampled_from(["T", "t", " ", "  "]),
    st.one_of(st.none(), st.sampled_from(["0", "00", "09", "19", "23", "24"])),
    st.integers(0, 61), st.integers(0, 61),
    st.sampled_from(["", ".", ".5", ".05", ".123456", ".1234567", ".000000001"]),
    st.sampled_from(["", "Z", "z", " Z", "+05:00", "-05:30", "+5", "-05", "+00:00", "-00:00",
                     "+24:00", "+23:59", "+05:60", "+5:00"]),
)


@FAST
@given(st.lists(st.one_of(INT_TEXT, STAMP_TEXT, st.sampled_from(WORDS)), min_size=1,
                max_size=8))
def test_generated_numbers_and_timestamps_build_the_same(texts):
    lines = [f"k{index}: {text}" for index, text in enumerate(texts)]
    lines += [f"- {text}" for text in texts]  # the second time from the remembered values
    check("\n".join(lines[: len(texts)]))
    check("\n".join(lines[len(texts) :]))
    for text in texts:
        check(f"{text}: x")  # as keys too
