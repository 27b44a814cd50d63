"""Planning: duplicates, topic merging and feed membership do not depend on reading order."""

from __future__ import annotations

import itertools
from datetime import datetime, timezone

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
