"""The `feedpub validate` command, driven through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from feedpub.validator.command import validate_command

GOOD_RSS = (
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
    "<title>t</title><link>https://example.org/</link><description>d</description>"
    '<atom:link rel="self" href="https://example.org/feed.rss"/>'
    "<item><title>a</title><guid>https://example.org/a</guid></item>"
    "</channel></rss>"
)
WARN_RSS = GOOD_RSS.replace("<guid>https://example.org/a</guid>", "")
BAD_RSS = GOOD_RSS.replace("<ttl>", "").replace("<title>t</title>", "")


def run(*args: str, stdin: bytes | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(validate_command, list(args), input=stdin)
    return result.exit_code, result.output


def test_valid_file_exits_zero(tmp_path: Path) -> None:
    (tmp_path / "good.rss").write_text(GOOD_RSS)
    code, out = run(str(tmp_path / "good.rss"))
    assert code == 0
    assert "1 file checked: 1 valid, 0 invalid; 0 errors, 0 warnings" in out


def test_error_is_reported_like_a_compiler(tmp_path: Path) -> None:
    path = tmp_path / "bad.rss"
    path.write_text(BAD_RSS)
    code, out = run(str(path))
    assert code == 1
    assert f"{path}:1:" in out
    assert "error MissingTitle: <channel> must contain <title>" in out


def test_strict_fails_on_warnings(tmp_path: Path) -> None:
    (tmp_path / "warn.rss").write_text(WARN_RSS)
    code, out = run(str(tmp_path / "warn.rss"))
    assert code == 0 and "warning MissingGuid" in out
    code, _ = run("--strict", str(tmp_path / "warn.rss"))
    assert code == 1


def test_json_output_and_folder_recursion(tmp_path: Path) -> None:
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    (nested / "good.xml").write_text(GOOD_RSS)
    (tmp_path / "bad.rss").write_text(BAD_RSS)
    (tmp_path / "notes.txt").write_text("not a feed")
    (tmp_path / "feed.json").write_text(
        json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "x", "items": []})
    )
    code, out = run("--format", "json", str(tmp_path))
    assert code == 1
    reports = json.loads(out)
    by_name = {Path(r["path"]).name: r for r in reports}
    assert set(by_name) == {"good.xml", "bad.rss", "feed.json"}
    assert by_name["good.xml"] == {
        "path": str(nested / "good.xml"),
        "format": "rss2",
        "valid": True,
        "errors": [],
        "warnings": [],
    }
    bad = by_name["bad.rss"]
    assert bad["valid"] is False
    assert bad["errors"][0]["code"] == "MissingTitle"
    assert set(bad["errors"][0]) == {"code", "message", "line", "column"}
    assert by_name["feed.json"]["format"] == "jsonfeed"


def test_stdin_and_base() -> None:
    code, out = run("--base", "https://example.org/feed.rss", "-", stdin=GOOD_RSS.encode())
    assert code == 0, out
    code, out = run("-", stdin=b"<rss")
    assert code == 1 and "<stdin>:" in out and "SAXError" in out


def test_unreadable_input_exits_two(tmp_path: Path) -> None:
    (tmp_path / "good.rss").write_text(GOOD_RSS)
    result = CliRunner().invoke(
        validate_command, [str(tmp_path / "good.rss"), str(tmp_path / "missing.rss")]
    )
    assert result.exit_code == 2
    assert "cannot read" in result.output


def test_usage_errors_exit_two() -> None:
    assert run()[0] == 2
    assert run("--format", "yaml", "x.rss")[0] == 2
    assert run("--max-bytes", "0", "x.rss")[0] == 2


def test_max_bytes(tmp_path: Path) -> None:
    (tmp_path / "good.rss").write_text(GOOD_RSS)
    code, out = run("--max-bytes", "50", str(tmp_path / "good.rss"))
    assert code == 1 and "TooLarge" in out
