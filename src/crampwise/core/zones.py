"""The time zones a person can choose, named as people know them. Pure; no Django.

A person picks a place, not a rule: "London, United Kingdom". The list is IANA's ``zone.tab``
(one line per inhabited zone, with its country), so it holds only canonical Area/City names, never
the old aliases such as ``GB``, ``W-SU`` or ``US/Eastern``. Those aliases still reach us (a browser
may report ``Asia/Calcutta``; old data may hold ``UTC``): ``canonical`` turns each into the zone
it stands for, using the links (``L target alias`` lines) of the same tz data.

The tz data is read from the ``tzdata`` package when it is installed (the one Python's
``zoneinfo`` falls back on), else from the system's zoneinfo directory.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from crampwise.core.i18n import gettext as _

UTC_NAME = "Etc/UTC"  # for the few who really want it, chosen on purpose

# iso3166.tab's short names that people would not search for.
COUNTRY_NAMES = {"GB": "United Kingdom"}


@dataclass(frozen=True)
class Zone:
    name: str  # canonical IANA name, e.g. "America/Argentina/Buenos_Aires"
    city: str  # "Buenos Aires"
    country: str  # "Argentina"; empty for Etc/UTC
    comment: str = ""  # zone.tab's note where a country has several zones ("most of Spain")

    @property
    def label(self) -> str:
        """What a person reads: the city, the country and, if useful, which part of it."""
        place = f"{self.city}, {self.country}" if self.country else self.city
        return f"{place} ({self.comment})" if self.comment else place


@dataclass(frozen=True)
class ZoneTable:
    zones: dict[str, Zone]  # canonical name -> zone, sorted by name
    links: dict[str, str]  # alias -> canonical name


def city_of(name: str) -> str:
    """ "America/Argentina/Buenos_Aires" -> "Buenos Aires"."""
    return name.rsplit("/", 1)[-1].replace("_", " ")


def parse_countries(text: str) -> dict[str, str]:
    """iso3166.tab: code, tab, country name; ``#`` starts a comment."""
    countries = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            code, name = line.split("\t")[:2]
            countries[code] = COUNTRY_NAMES.get(code, name)
    return countries


def parse_zone_tab(text: str, countries: dict[str, str]) -> dict[str, Zone]:
    """zone.tab: country code, coordinates, zone name, optional comment."""
    zones = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        code, name = fields[0], fields[2]
        comment = fields[3] if len(fields) > 3 else ""
        city = city_of(name)
        if comment.startswith(city):
            comment = ""  # "Buenos Aires (BA, CF)" says nothing the city does not
        zones[name] = Zone(name, city, countries.get(code, code), comment)
    return zones


def parse_links(text: str) -> dict[str, str]:
    """tzdata.zi's link lines, ``L target alias``: alias -> target."""
    links = {}
    for line in text.splitlines():
        if line.startswith("L "):
            _l, target, alias = line.split()
            links[alias] = target
    return links


def build_table(zone_tab: str, iso3166: str, tzdata_zi: str) -> ZoneTable:
    zones = parse_zone_tab(zone_tab, parse_countries(iso3166))
    zones[UTC_NAME] = Zone(UTC_NAME, "UTC", "", _("Coordinated Universal Time"))
    links: dict[str, str] = {}
    for alias, target in parse_links(tzdata_zi).items():
        if alias in zones:
            # zone.tab keeps some names that the tz data has folded into another zone (Amsterdam
            # into Brussels since 2022): the person's own city is the better name to show.
            continue
        # A link may point at another zone that zone.tab lists by a different name; follow once.
        links[alias] = target if target in zones else links.get(target, target)
    return ZoneTable(dict(sorted(zones.items())), links)


def canonical(name: str, table: ZoneTable) -> str | None:
    """The zone to store for a name from a browser, a person or old data; None if unknown."""
    if name in table.zones:
        return name
    target = table.links.get(name)
    return target if target in table.zones else None


def _fold(text: str) -> str:
    return " ".join(text.replace("_", " ").replace(",", " ").casefold().split())


def find(text: str, table: ZoneTable) -> list[Zone]:
    """Zones matching what a person typed: an IANA name or alias, a city, or a country."""
    text = text.strip()
    exact = canonical(text, table)
    if exact is not None:
        return [table.zones[exact]]
    wanted = _fold(text)
    if not wanted:
        return []
    for field in ("label", "city", "country"):
        hits = [z for z in table.zones.values() if _fold(getattr(z, field)) == wanted]
        if hits:
            return hits
    return [z for z in table.zones.values() if wanted in _fold(f"{z.name} {z.label}")]


def _tz_dir() -> Path | None:
    try:
        from importlib.resources import files

        packaged = Path(str(files("tzdata") / "zoneinfo"))
        if (packaged / "zone.tab").exists():
            return packaged
    except ModuleNotFoundError:
        pass
    for folder in zoneinfo.TZPATH:
        if (Path(folder) / "zone.tab").exists():
            return Path(folder)
    return None


@lru_cache(maxsize=1)
def zone_table() -> ZoneTable:
    folder = _tz_dir()
    if folder is None:
        raise RuntimeError("no tz data found: install the tzdata package")

    def read(name: str) -> str:
        path = folder / name
        return path.read_text(encoding="utf-8") if path.exists() else ""

    return build_table(read("zone.tab"), read("iso3166.tab"), read("tzdata.zi"))
