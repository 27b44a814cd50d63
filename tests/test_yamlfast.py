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
