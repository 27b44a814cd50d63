"""Speedups of the per-file parse (reader, normalize, cache rows) give exactly what the
plain code they replaced gave; the plain code is kept here as the reference."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from feedpub.reader import split_front_matter

MANY = settings(max_examples=1500, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])


def split_by_lines(text: str) -> tuple[str, str | None] | str:
    """The front matter split as the reader did it before :func:`split_front_matter`."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return "no front matter: the file must start with a '---' line"
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        return "unterminated: no closing '---' line"
    return "\n".join(lines[1:end]), "\n".join(lines[end + 1 :]).strip() or None


#: Lines that are, or almost are, front matter fences (spaces of every kind after them).
LINES = st.one_of(
    st.sampled_from(["---", "...", "--", "----", "....", " ---", "--- x", "a: 1", "", "-", "."]),
    st.builds(lambda fence, tail: fence + tail, st.sampled_from(["---", "...", "-- -"]),
              st.text(alphabet=" \t\x0b\x0c\x1c\x1f\x85\xa0\u2028\u3000x", max_size=3)),
    st.text(alphabet="-. a:\t\u2029", max_size=6),
)


@MANY
@given(st.lists(LINES, max_size=8))
@example(["---", "---"])
@example(["---", "a: 1", "...", "", "body", ""])
@example(["---  ", "a: 1", "--- \x85", "---"])
@example(["--- x", "---"])
def test_the_front_matter_split_agrees_with_splitting_lines(lines):
    text = "\n".join(lines)
    assert split_front_matter(text) == split_by_lines(text)


@MANY
@given(st.text(alphabet="-.\n \t\x85\u2028ab:", max_size=40))
def test_the_front_matter_split_agrees_on_any_text(text):
    assert split_front_matter(text) == split_by_lines(text)
