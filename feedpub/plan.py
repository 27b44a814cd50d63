"""Deciding what goes in which feed, from lightweight candidates only.

Planning sees one small :class:`Candidate` per record, never the records'
text, so memory grows with the number of stories only by a few hundred
bytes each; the full entries are loaded afterwards, one feed at a time,
for just the stories each feed holds.

Duplicates (same canonical URL, hence same id) become one story: the newest
record wins (ties: the one whose path sorts last) and the topics of all its
records are merged, the winner's first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from feedpub.entry import Entry, Topic
from feedpub.slugs import assign_slugs


@dataclass(frozen=True)
class Candidate:
    """What planning needs of one record."""

    id: str
    published: datetime
    path: str
    topics: tuple[Topic, ...]

    @classmethod
    def of(cls, entry: Entry) -> Candidate:
        return cls(entry.id, entry.published, entry.source_path, entry.topics)

    @property
    def rank(self) -> tuple[datetime, str]:
        """Which of two duplicate records wins: the larger rank."""
        return (self.published, self.path)


@dataclass(frozen=True)
class FeedPlan:
    """One feed to write: the combined feed (``topic is None``) or one topic's."""

    name: str
    topic: Topic | None
    entry_ids: tuple[str, ...]
    total: int


@dataclass
class Plan:
    """Every feed to write, and how to load and relabel the entries they hold."""

    feeds: list[FeedPlan]
    winners: dict[str, Candidate]
    merged_topics: dict[str, tuple[Topic, ...]]
    duplicates_merged: int = 0
    stories: int = 0
    topics: dict[str, Topic] = field(default_factory=dict)

    def needed(self) -> dict[str, Candidate]:
        """The winning candidate of every entry some feed holds."""
        ids = {i for feed in self.feeds for i in feed.entry_ids}
        return {i: self.winners[i] for i in sorted(ids)}


def plan_feeds(candidates: Iterable[Candidate], limit: int) -> Plan:
    """Merge duplicates, give every topic a file slug and pick each feed's newest entries."""
    records: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        records[candidate.id].append(candidate)

    winners: dict[str, Candidate] = {}
    topic_keys: dict[str, tuple[str, ...]] = {}
    labels: dict[str, str] = {}
    duplicates = 0
    for entry_id, group in records.items():
        group.sort(key=lambda c: c.rank, reverse=True)
        duplicates += len(group) - 1
        winners[entry_id] = group[0]
        keys: dict[str, None] = {}
        for candidate in group:
            for topic in candidate.topics:
                keys[topic.key] = None
                if topic.key not in labels or topic.label < labels[topic.key]:
                    labels[topic.key] = topic.label
        topic_keys[entry_id] = tuple(keys)

    slugs = assign_slugs(labels)
    topics = {key: Topic(label=labels[key], key=key, slug=slugs[key]) for key in sorted(labels)}
    merged = {entry_id: tuple(topics[k] for k in keys) for entry_id, keys in topic_keys.items()}
    # Newest first (ties: by id). One sort of every story; each topic's members are
    # then listed in that order, so a feed's newest are the first of its list.
    by_age = sorted(winners, key=lambda i: (-winners[i].published.timestamp(), i))
    members: dict[str, list[str]] = defaultdict(list)
    for entry_id in by_age:
        for key in topic_keys[entry_id]:
            members[key].append(entry_id)

    feeds = [FeedPlan("all", None, tuple(by_age[:limit]), len(winners))]
    for key, topic in topics.items():
        ids = members[key]
        feeds.append(FeedPlan(f"topics/{topic.slug}", topic, tuple(ids[:limit]), len(ids)))
    return Plan(feeds, winners, merged, duplicates, len(winners), topics)
