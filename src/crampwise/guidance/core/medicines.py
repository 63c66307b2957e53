"""Match medicines as people type them ("Lasix 40mg", "Symbicort inhaler") to the evidence base.

The rules, in order:

1. Normalise: lower case, accents and punctuation off, doses ("40mg", "12.5 mg", "250/25"), forms
   ("inhaler", "tabs", "XL") and salts ("sodium", "calcium") dropped. Known names go through the
   same steps, so both sides are compared in one form.
2. Exact match of the longest runs of words, left to right, against every generic name, alias
   and brand (US, UK, Canada, France). Several drugs in one text ("budesonide/formoterol") that
   make up a known combination become that combination.
3. Only for the words left over: a small spelling tolerance (one edit for names of 5 to 7
   letters, two for longer names; none for shorter ones) and the first letter must agree. A
   misspelling that is as close to two different drugs is refused, never guessed.

Anything left is reported as not recognised. No Django imports here (a test enforces it).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from crampwise.core.knowledge import load_knowledge
from crampwise.core.knowledge.records import KnowledgeBase

# Words that describe how a medicine is taken, not which medicine it is.
FORM_WORDS = frozenset(
    """
    inhaler inhalers inhalation inhaled inh puffer puff puffs evohaler accuhaler diskus turbohaler
    turbuhaler spiromax ellipta easyhaler respimat handihaler breezhaler novolizer neohaler
    genuair pressair aerosphere autohaler nexthaler hfa mdi dpi
    nebuliser nebulizer nebules tablet tablets tab tabs caplet caplets capsule capsules cap caps
    pill pills softgel softgels xl xr sr er la lp cr mr cd dr ec odt retard prolonged modified
    extended release slow oral solution suspension liquid syrup injection injections inj iv
    infusion im sc subcut pen patch cream gel drops spray nasal daily once twice bd bid od tds tid
    qid qd qhs prn nightly night at bedtime morning evening am pm a day per each every x times mg
    mcg ug g ml units unit iu dose doses generic film coated chewable dispersible effervescent
    soluble strength forte supplement supplements take taking
    """.split()
)

# Words that join ingredients. They are kept while scanning, because some brand names contain
# them ("Coversyl Plus"), and are never part of a leftover name.
JOIN_WORDS = frozenset({"and", "with", "plus", "|"})

# Salt and hydrate names: "naproxen sodium" is naproxen. Only dropped when another word remains,
# so "potassium chloride" is not reduced to nothing.
SALT_WORDS = frozenset(
    """
    sodium potassium calcium hydrochloride hcl sulfate sulphate bisulfate bisulphate succinate
    tartrate besylate besilate maleate mesylate mesilate fumarate xinafoate propionate furoate
    dipropionate bromide monohydrate dihydrate trihydrate hemihydrate citrate oxide glycinate
    aspartate lactate gluconate chloride hyclate acetate
    """.split()
)

_UNITS = r"(?:mg|mcg|µg|ug|g|ml|%|iu|units?|micrograms?|milligrams?)"
_DOSE = re.compile(
    rf"(?<![a-z0-9])\d+(?:[.,]\d+)?\s*{_UNITS}?(?:\s*/\s*\d+(?:[.,]\d+)?\s*{_UNITS}?)*(?![a-z0-9])"
)


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    """The words that name a medicine, in order, with "|" where the text had / + & , or ;.

    "Lasix 40mg" -> ["lasix"]; "Seretide 250 evohaler" -> ["seretide"];
    "fluticasone propionate/salmeterol 250/50" -> ["fluticasone", "|", "salmeterol"];
    "MK-7" -> ["mk7"]; "Toprol-XL" -> ["toprol"].
    """
    text = strip_accents(text.lower())
    text = re.sub(r"([a-z])-(\d)", r"\1\2", text)
    text = _DOSE.sub(" ", text)
    text = re.sub(r"[/+&,;]", " | ", text)
    words = [w for w in re.split(r"[^a-z0-9|]+", text) if w]
    words = [w for w in words if w not in FORM_WORDS and not w.isdigit()]
    named = [w for w in words if w not in JOIN_WORDS]
    if any(w not in SALT_WORDS for w in named):
        words = [w for w in words if w not in SALT_WORDS]
    return words


def normalise_name(text: str) -> str:
    """A name in the form the index compares: "Co-Diovan" -> "co diovan", "Slow-Mag" -> "mag"."""
    return " ".join(w for w in tokens(text) if w != "|")


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Damerau-Levenshtein distance (adjacent swaps cost one), cut off just above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def allowed_edits(name: str) -> int:
    """How many typing errors a name tolerates: short names none, so they never drift."""
    letters = len(name.replace(" ", ""))
    if letters < 5:
        return 0
    if letters < 8:
        return 1
    return 2


@dataclass(frozen=True, slots=True)
class Entry:
    """What a known name stands for: one drug (by generic name) or one combination (by id)."""

    kind: str  # "drug" | "combination"
    key: str
    name: str  # the name as written in the data
    via: str  # "generic" | "alias" | "brand"


@dataclass(frozen=True, slots=True)
class Ingredient:
    """One thing a matched medicine contains that has a class in the evidence base."""

    generic: str
    class_id: str
    atc: str | None


@dataclass(frozen=True, slots=True)
class MedicineMatch:
    """The verdict on one typed medicine.

    ``status`` is ``linked`` (some ingredient's class is linked to cramps), ``no_known_link``
    (recognised, and every ingredient's class was checked for a link and none found),
    ``not_checked`` (recognised, nothing linked, but no source we cite looked for a link) or
    ``not_recognised``. ``ingredients`` are the classified parts;
    a LABA-with-steroid inhaler is one ingredient of its own class.
    """

    text: str
    status: str
    matched_names: tuple[str, ...] = ()
    ingredients: tuple[Ingredient, ...] = ()
    fuzzy: bool = False
    unmatched_parts: tuple[str, ...] = ()


class MedicineIndex:
    """All known names, normalised, built once from the evidence base."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.names: dict[str, set[Entry]] = {}
        for drug in kb.drugs.values():
            self._add(drug.generic, Entry("drug", drug.generic, drug.generic, "generic"))
            for alias in drug.aliases:
                self._add(alias, Entry("drug", drug.generic, alias, "alias"))
            for brand in drug.brand_names:
                self._add(brand, Entry("drug", drug.generic, brand, "brand"))
        for combo in kb.combinations.values():
            for alias in combo.aliases:
                self._add(alias, Entry("combination", combo.id, alias, "alias"))
            for brand in combo.brand_names:
                self._add(brand, Entry("combination", combo.id, brand, "brand"))
        self.by_components = {frozenset(c.components): c for c in kb.combinations.values()}
        self.longest = max(len(name.split()) for name in self.names)

    def _add(self, name: str, entry: Entry) -> None:
        self.names.setdefault(normalise_name(name), set()).add(entry)

    def exact(self, name: str) -> set[Entry]:
        return self.names.get(name, set())

    def fuzzy(self, name: str) -> tuple[set[Entry], int] | None:
        """The entries within the allowed edits of ``name``, if they all mean one medicine."""
        # Codes such as "k2" or "b12" are exact-only: one changed digit is another vitamin.
        if allowed_edits(name) == 0 or any(ch.isdigit() for ch in name):
            return None
        best: dict[int, set[Entry]] = {}
        for known, entries in self.names.items():
            if known[0] != name[0] or any(ch.isdigit() for ch in known):
                continue
            budget = min(allowed_edits(known), allowed_edits(name))
            if budget == 0:
                continue
            distance = edit_distance(name, known, budget)
            if distance <= budget:
                best.setdefault(distance, set()).update(entries)
        if not best:
            return None
        distance = min(best)
        entries = best[distance]
        if len({(e.kind, e.key) for e in entries}) > 1:
            return None  # as close to two medicines: refuse rather than guess
        return entries, distance


@cache
def default_index() -> MedicineIndex:
    return MedicineIndex(load_knowledge())


def _scan(index: MedicineIndex, words: Sequence[str]) -> tuple[list[Entry], list[str]]:
    """Exact matches of the longest runs of words, left to right; and the runs left over.

    Leftover runs are split at join words and at matched names, so "budesonide and formotrol"
    leaves the single run "formotrol" for the spelling check.
    """
    found: list[Entry] = []
    runs: list[str] = []
    run: list[str] = []

    def close_run() -> None:
        if run:
            runs.append(" ".join(run))
            run.clear()

    i = 0
    while i < len(words):
        for size in range(min(index.longest, len(words) - i), 0, -1):
            entries = index.exact(" ".join(words[i : i + size]))
            if entries:
                close_run()
                found.append(sorted(entries, key=lambda e: (e.kind, e.key))[0])
                i += size
                break
        else:
            if words[i] in JOIN_WORDS:
                close_run()
            else:
                run.append(words[i])
            i += 1
    close_run()
    return found, runs


def _ingredients(index: MedicineIndex, entries: Iterable[Entry]) -> tuple[Ingredient, ...]:
    kb = index.kb
    generics: list[str] = []
    result: list[Ingredient] = []
    for entry in entries:
        if entry.kind == "combination":
            combo = kb.combinations[entry.key]
            if combo.class_id is not None:
                result.append(Ingredient(" + ".join(combo.components), combo.class_id, combo.atc))
            else:
                generics.extend(combo.components)
        else:
            generics.append(entry.key)
    generics = list(dict.fromkeys(generics))
    # Ingredients typed one by one ("budesonide/formoterol") may make up a known product whose
    # class is not the sum of its parts.
    product = index.by_components.get(frozenset(generics)) if len(generics) > 1 else None
    if product is not None and product.class_id is not None:
        result.append(Ingredient(" + ".join(product.components), product.class_id, product.atc))
    else:
        for generic in generics:
            drug = kb.drugs[generic]
            result.append(Ingredient(generic, drug.class_id, drug.atc))
    return tuple(dict.fromkeys(result))


def match_medicine(text: str, index: MedicineIndex | None = None) -> MedicineMatch:
    """Match one typed medicine, e.g. ``match_medicine("lasix 40 mg")``."""
    index = index or default_index()
    entries, runs = _scan(index, tokens(text))
    unmatched: list[str] = []
    fuzzy = False
    for run in runs:
        # A whole leftover run first ("conjugated estrogen"), then its words one by one.
        guesses = [index.fuzzy(run)]
        if guesses[0] is None and " " in run:
            guesses = [index.fuzzy(word) for word in run.split()]
        hits = [g for g in guesses if g is not None]
        for hit_entries, _distance in hits:
            entries.append(sorted(hit_entries, key=lambda e: (e.kind, e.key))[0])
            fuzzy = True
        if not hits:
            unmatched.append(run)
    if not entries:
        return MedicineMatch(text=text, status="not_recognised", unmatched_parts=tuple(unmatched))
    ingredients = _ingredients(index, entries)
    classes = [index.kb.classes[i.class_id] for i in ingredients]
    if any(cls.associated for cls in classes):
        status = "linked"
    elif all(cls.link_checked for cls in classes):
        status = "no_known_link"
    else:
        # Recognised, but nobody we cite has looked for a link: never say "no link".
        status = "not_checked"
    return MedicineMatch(
        text=text,
        status=status,
        matched_names=tuple(dict.fromkeys(e.name for e in entries)),
        ingredients=ingredients,
        fuzzy=fuzzy,
        unmatched_parts=tuple(unmatched),
    )


def match_medicines(texts: Iterable[str]) -> list[MedicineMatch]:
    index = default_index()
    return [match_medicine(text, index) for text in texts]


STRENGTH_ORDER = ("strong", "moderate", "weak", "reported", "label", "same_type", "none")


def strongest_link(match: MedicineMatch, kb: KnowledgeBase | None = None) -> Ingredient | None:
    """The ingredient with the strongest link to cramps, or None."""
    kb = kb or load_knowledge()
    linked = [i for i in match.ingredients if kb.classes[i.class_id].associated]
    if not linked:
        return None
    return min(linked, key=lambda i: STRENGTH_ORDER.index(kb.classes[i.class_id].strength))


def takes_class(matches: Iterable[MedicineMatch], class_id: str) -> bool:
    return any(i.class_id == class_id for m in matches for i in m.ingredients)


def takes_statin(matches: Iterable[MedicineMatch]) -> bool:
    # A statin inside a combination (Caduet, Inegy) counts as well: its ingredient keeps the class.
    return takes_class(matches, "statin")


def takes_quinine(matches: Iterable[MedicineMatch]) -> bool:
    return takes_class(matches, "quinine")


def takes_muscle_relaxant(matches: Iterable[MedicineMatch]) -> bool:
    return takes_class(matches, "muscle_relaxant")
