"""Site settings: ``feedpub.yaml`` in the current folder, then command-line flags.

Flags win over the file; the file wins over the defaults. A bad setting is
returned as a :class:`ConfigError` naming the file and the key.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from feedpub.reader import DEFAULT_LIMITS, Limits, SafeLoader
from feedpub.urls import clean_url
from feedpub.validator.langcodes import valid_language

DEFAULT_CONFIG = "feedpub.yaml"


@dataclass(frozen=True)
class Site:
    """Everything about the published site that is not in the seed records."""

    title: str = "feedpub"
    base_url: str = "http://127.0.0.1:8000/"
    description: str = "News feeds published with feedpub"
    language: str = "en"
    author: str | None = None
    author_email: str | None = None
    icon: str | None = None
    logo: str | None = None
    limit: int = 50
    asset_base_url: str | None = None
    hub: str | None = None
    #: Caps on hostile seed files (``limits:`` mapping in the file, ``--max-*`` flags).
    limits: Limits = DEFAULT_LIMITS

    @property
    def author_name(self) -> str:
        return self.author or self.title

    def url(self, relative: str) -> str:
        """The public URL of a file written at ``relative`` under the output folder."""
        return clean_url(self.base_url + relative) or self.base_url + relative


@dataclass(frozen=True)
class ConfigError:
    """Why the settings could not be used."""

    source: str
    key: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.key}: {self.reason}"


_EMAIL = re.compile(r"[^@\s<>()\[\],;:\"]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_URL_KEYS = ("base_url", "icon", "logo", "asset_base_url", "hub")
_TEXT_KEYS = ("title", "description", "language", "author", "author_email")
_KEYS = {f.name for f in dataclasses.fields(Site)}


def load_site(
    config_path: str | Path | None, overrides: dict[str, Any] | None = None
) -> Site | ConfigError:
    """Read the settings file (if any) and apply ``overrides`` (``None`` values are skipped).

    With ``config_path=None`` the default ``feedpub.yaml`` is read when it exists.
    """
    values: dict[str, Any] = {}
    origin: dict[str, str] = {}
    source = str(config_path or DEFAULT_CONFIG)
    path = Path(source)
    if config_path is not None or path.is_file():
        try:
            loaded = yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader)
        except OSError as exc:
            return ConfigError(source, "file", f"cannot read: {exc.strerror or exc}")
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            return ConfigError(source, "file", f"invalid YAML: {exc}")
        if loaded is None:
            loaded = {}
        if not isinstance(loaded, dict):
            return ConfigError(source, "file", "expected a mapping of settings")
        unknown = sorted(str(k) for k in loaded if k not in _KEYS)
        if unknown:
            known = ", ".join(sorted(_KEYS))
            return ConfigError(source, unknown[0], f"unknown setting (known: {known})")
        values.update(loaded)
        origin.update(dict.fromkeys(loaded, source))
    for key, value in (overrides or {}).items():
        if key == "limits" and isinstance(value, dict):
            value = {k: v for k, v in value.items() if v is not None}
            if value:
                merged = values.get("limits")
                values[key] = {**(merged if isinstance(merged, dict) else {}), **value}
                origin[key] = "command line"
        elif value is not None:
            values[key] = value
            origin[key] = "command line"
    return _check(values, origin)


def _check(values: dict[str, Any], origin: dict[str, str]) -> Site | ConfigError:
    def error(key: str, reason: str) -> ConfigError:
        return ConfigError(origin.get(key, "settings"), key, reason)

    for key in _TEXT_KEYS:
        if key in values and values[key] is not None and not isinstance(values[key], str):
            return error(key, "expected text")
    for key in ("title", "description"):
        if key in values and not (values[key] or "").strip():
            return error(key, "must not be empty (feeds require it)")
    if "language" in values and not valid_language(values["language"] or ""):
        return error("language", f"not a language code such as en or pt-BR: {values['language']!r}")
    email = values.get("author_email")
    if email is not None and not _EMAIL.fullmatch(email):
        return error("author_email", f"not an e-mail address: {email!r}")
    for key in _URL_KEYS:
        if values.get(key) is None:
            continue
        url = clean_url(values[key])
        if url is None:
            return error(key, f"not an absolute http(s) URL: {values[key]!r}")
        values[key] = url
    base = values.get("base_url")
    if base is not None and not base.endswith("/"):
        values["base_url"] = base + "/"
    limit = values.get("limit", Site.limit)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        return error("limit", f"expected a whole number of at least 1, got {limit!r}")
    if "limits" in values:
        limits = _limits(values["limits"])
        if isinstance(limits, str):
            return error("limits", limits)
        values["limits"] = limits
    return Site(**values)


def _limits(value: Any) -> Limits | str:
    """The ``limits`` mapping as :class:`Limits`, or what is wrong with it."""
    if value is None:
        return DEFAULT_LIMITS
    if not isinstance(value, dict):
        return "expected a mapping of limits"
    known = {f.name for f in dataclasses.fields(Limits)}
    for key, number in value.items():
        if key not in known:
            return f"unknown limit {key!r} (known: {', '.join(sorted(known))})"
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            return f"{key}: expected a whole number of at least 1, got {number!r}"
    return dataclasses.replace(DEFAULT_LIMITS, **value)
