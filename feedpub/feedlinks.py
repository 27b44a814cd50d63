"""Adding feed-level links and RFC 5005 markers to rendered RSS and Atom documents.

The renderers (:mod:`feedpub.builder`) know nothing of Feed Paging and
Archiving (``current``, ``prev-archive``/``next-archive`` links,
``fh:complete``, ``fh:archive``): these are added here by editing the
rendered tree, right after the self link. The result is re-serialized the
way the renderers write (pretty-printed UTF-8 with an XML declaration), so it
is byte-stable. (The RSS hub link, which feedgen left out of RSS channels, was
added here too; the builder now writes it itself, in the same place.)
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

ATOM_NS = "http://www.w3.org/2005/Atom"
#: RFC 5005 (Feed Paging and Archiving) namespace.
FH_NS = "http://purl.org/syndication/history/1.0"


def add_links(
    data: bytes, links: Sequence[tuple[str, str, str | None]], marker: str | None = None
) -> bytes:
    """``data`` with ``(rel, href, type)`` links and an optional ``fh:<marker>`` element added.

    Links go after the feed's self link (an ``atom:link`` in RSS), the
    marker after them; ``data`` is returned as is when there is nothing to add.
    """
    if not links and marker is None:
        return data
    parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)
    root = etree.fromstring(data, parser)
    parent = root.find("channel") if root.tag == "rss" else root
    if parent is None:
        raise ValueError("not an RSS 2.0 or Atom 1.0 document")
    anchor = _self_link(parent)
    position = parent.index(anchor) + 1 if anchor is not None else len(parent)
    added: list[etree._Element] = []
    for rel, href, mime in links:
        link = etree.Element(f"{{{ATOM_NS}}}link")
        link.set("href", href)
        link.set("rel", rel)
        if mime:
            link.set("type", mime)
        added.append(link)
    if marker is not None:
        added.append(etree.Element(f"{{{FH_NS}}}{marker}", nsmap={"fh": FH_NS}))
    for offset, element in enumerate(added):
        parent.insert(position + offset, element)
    return etree.tostring(root, pretty_print=True, encoding="UTF-8", xml_declaration=True)


def _self_link(parent: etree._Element) -> etree._Element | None:
    for link in parent.iter(f"{{{ATOM_NS}}}link", "link"):
        if link.getparent() is parent and link.get("rel") == "self":
            return link
    return None
