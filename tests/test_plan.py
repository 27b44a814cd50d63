"""Planning: duplicates, topic merging and feed membership do not depend on reading order."""

from __future__ import annotations

import heapq
import itertools
from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from feedpub.entry import Topic
from feedpub.plan import Candidate, plan_feeds
from feedpub.slugs import slugify, topic_key


def topic(label: str) -> Topic:
    return Topic(label, topic_key(label), slugify(topic_key(label)))


def candidate(entry_id: str, day: int, path: str, *labels: str) -> Candidate:
    when = datetime(2021, 8, day, tzinfo=timezone.utc)
    return Candidate(entry_id, when, path, tuple(topic(label) for label in labels))


CANDIDATES = [
    candidate("a", 1, "1.md", "AI"),
    candidate("a", 3, "2.md", "Robots", "ai"),
    candidate("a", 3, "0.md", "Space"),
    candidate("b", 2, "3.md", "Robots"),
    candidate("c", 5, "4.md", "Space"),
]


def describe(plan) -> tuple:
    return (
        [(f.name, f.entry_ids, f.total, f.topic.label if f.topic else None) for f in plan.feeds],
        {k: (v.path, [t.label for t in plan.merged_topics[k]]) for k, v in plan.winners.items()},
        plan.duplicates_merged,
    )


def test_newest_record_wins_ties_go_to_the_last_path_and_topics_merge_winner_first():
    plan = plan_feeds(CANDIDATES, limit=10)
    feeds, winners, duplicates = describe(plan)
    assert duplicates == 2
    assert winners["a"] == ("2.md", ["Robots", "AI", "Space"])
    assert feeds == [
        ("all", ("c", "a", "b"), 3, None),
        ("topics/ai", ("a",), 1, "AI"),
        ("topics/robots", ("a", "b"), 2, "Robots"),
        ("topics/space", ("c", "a"), 2, "Space"),
    ]


def test_plan_is_the_same_for_every_reading_order():
    expected = describe(plan_feeds(CANDIDATES, limit=2))
    for order in itertools.permutations(CANDIDATES):
        assert describe(plan_feeds(order, limit=2)) == expected


def test_limit_keeps_the_newest_and_counts_all():
    plan = plan_feeds(CANDIDATES, limit=1)
    assert [(f.name, f.entry_ids, f.total) for f in plan.feeds][:1] == [("all", ("c",), 3)]
    assert set(plan.needed()) == {"c", "a"}


def _newest_by_heap(plan, limit: int) -> list[tuple[str, tuple[str, ...]]]:
    """Each feed's newest ids picked the plain way: a heap over its members' dates."""
    members: dict[str | None, list[str]] = {None: list(plan.winners)}
    for entry_id, merged in plan.merged_topics.items():
        for t in merged:
            members.setdefault(t.key, []).append(entry_id)

    def age(i: str) -> tuple[float, str]:
        return (-plan.winners[i].published.timestamp(), i)

    return [(feed.name, tuple(heapq.nsmallest(limit, members[feed.topic.key if feed.topic
                                                               else None], key=age)))
            for feed in plan.feeds]


@settings(max_examples=150, deadline=None)
@given(
    records=st.lists(
        st.tuples(st.sampled_from("abcdefghij"), st.integers(0, 5), st.integers(0, 3),
                  st.lists(st.sampled_from(["AI", "ai", "Robots", "Space", "space "]),
                           max_size=3)),
        max_size=25),
    limit=st.integers(1, 6),
)
def test_each_feed_holds_its_newest_stories_by_date_then_id(records, limit):
    base = datetime(2021, 8, 1, tzinfo=timezone.utc)
    candidates = [
        Candidate(entry_id, base + timedelta(hours=hours, minutes=minutes), f"{n}.md",
                  tuple(topic(label) for label in labels))
        for n, (entry_id, hours, minutes, labels) in enumerate(records)
    ]
    plan = plan_feeds(candidates, limit)
    assert [(f.name, f.entry_ids) for f in plan.feeds] == _newest_by_heap(plan, limit)
    for feed in plan.feeds:
        assert feed.total == (len(plan.winners) if feed.topic is None else
                              sum(feed.topic in t for t in plan.merged_topics.values()))
