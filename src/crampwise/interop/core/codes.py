"""Code systems, codes and units used in crampwise's FHIR R4 export (see docs/fhir.md).

A standard code is used only where it was checked against a public source (the sources are named
next to each code). Everything else gets a code in crampwise's own code system, so a receiver can
tell our concepts from standard ones instead of guessing.
"""

from __future__ import annotations

from typing import Final

from crampwise.diary.core.records import MUSCLES, RELIEFS, SIDES

LOINC: Final = "http://loinc.org"
SNOMED: Final = "http://snomed.info/sct"
UCUM: Final = "http://unitsofmeasure.org"
ICD10CM: Final = "http://hl7.org/fhir/sid/icd-10-cm"
OBSERVATION_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/observation-category"
CONDITION_CLINICAL: Final = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION: Final = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CONDITION_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/condition-category"
DATA_ABSENT_REASON: Final = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
# FHIR's rule for identifiers whose value is itself a URI (our urn:crampwise:... values).
URI_IDENTIFIER_SYSTEM: Final = "urn:ietf:rfc:3986"

# crampwise's own namespace for canonical URLs. `.example` is reserved and never resolves; it is a
# stable name, not a place, so exports made by any crampwise server agree with each other.
BASE: Final = "https://crampwise.example/fhir"
CRAMPWISE: Final = f"{BASE}/CodeSystem/crampwise"
ASSESSMENT_FLAG: Final = f"{BASE}/CodeSystem/assessment-flag"
ASSESSMENT_QUESTIONNAIRE: Final = f"{BASE}/Questionnaire/assessment"
ASSESSMENT_QUESTIONNAIRE_VERSION: Final = "1"

EXT_NIGHT: Final = f"{BASE}/StructureDefinition/night"
EXT_TIME_ZONE: Final = f"{BASE}/StructureDefinition/time-zone"
EXT_DAILY_FACTOR: Final = f"{BASE}/StructureDefinition/daily-factor"
EXT_LATERALITY: Final = f"{BASE}/StructureDefinition/laterality"

# Standard codes -----------------------------------------------------------------------------
# ICD-10-CM G47.62 "Sleep related leg cramps": clinical-evidence.md section 1 [V]. No SNOMED CT
# concept for the disorder was verified, so the Condition carries ICD-10-CM only.
SLEEP_RELATED_LEG_CRAMPS = (ICD10CM, "G47.62", "Sleep related leg cramps")
# SNOMED CT 55300003 "Muscle cramp (finding)": clinical-evidence.md section 1 [V], ecosystem.md.
MUSCLE_CRAMP = (SNOMED, "55300003", "Muscle cramp")
# LOINC 72514-3: ecosystem.md section 1 (hl7-eu/eps examples, hl7-be patient-monitoring).
PAIN_SCORE = (LOINC, "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")

# SNOMED CT body structures for the muscles a person can tick, each seen in a published FHIR
# implementation guide (docs/fhir.md lists the sources). Every muscle has a code; the text always
# goes along, so a receiver that does not know the code still reads "left calf".
MUSCLE_SITES: Final[dict[str, tuple[str, str]]] = {
    # VA mhv-fhir-phr-mapping IG, ConceptMap VF-VitalsLocation: CALF -> 53840002.
    "calf": ("53840002", "Structure of calf of leg"),
    # Belgian eHealth IG be-vs-body-site; PH Road Safety IG body-site expansion (SNOMED 2024-10).
    "foot": ("56459004", "Foot structure"),
    # Belgian eHealth IG be-vs-body-site; VA mhv-fhir-phr-mapping IG ConceptMap (THIGH).
    "thigh": ("68367000", "Thigh structure"),
    # PH Road Safety IG body-site expansion, shown there as "Hamstring Muscles".
    "hamstring": ("128511007", "Posterior muscle of thigh structure"),
    # HL7 US vitals IG value sets (body temperature and SpO2 site): 29707007.
    "toes": ("29707007", "Toe structure"),
}
# SNOMED CT laterality qualifiers: HL7 mCODE laterality value set, eHDSI laterality value set.
SIDE_QUALIFIERS: Final[dict[str, tuple[str, str]]] = {
    "left": ("7771000", "Left"),
    "right": ("24028007", "Right"),
    "both": ("51440002", "Right and left"),
}
# Words that name each muscle in a body site's text, for other apps' episodes without our codes.
# Hamstring comes before thigh so that "back of thigh (hamstring)" is not read as the thigh.
MUSCLE_WORDS: Final[dict[str, tuple[str, ...]]] = {
    "calf": ("calf", "calves"),
    "foot": ("foot", "feet"),
    "hamstring": ("hamstring",),
    "thigh": ("thigh",),
    "toes": ("toe", "toes"),
}
assert set(MUSCLE_SITES) == set(MUSCLES) == set(MUSCLE_WORDS), "a muscle lacks a code or a word"
assert set(SIDE_QUALIFIERS) == set(SIDES), "a side lacks a qualifier"

# UCUM units: (code, human unit).
UNIT_COUNT = ("{#}", "cramps")
UNIT_SCORE = ("{score}", "score")
UNIT_MINUTES = ("min", "min")
UNIT_HOURS = ("h", "h")
UNIT_RATIO = ("1", "ratio")
UNIT_PROBABILITY = ("1", "probability")

# Units of the built-in number factors; other number factors get the plain count annotation.
FACTOR_UNITS: Final[dict[str, tuple[str, str]]] = {
    "fluid_glasses": ("{glass}", "glasses"),
    "alcohol_units": ("{unit}", "units"),
    "exercise_minutes": ("min", "min"),
    "hours_on_feet": ("h", "h"),
}
FACTOR_DEFAULT_UNIT = ("{#}", "count")

# crampwise's own codes ----------------------------------------------------------------------
CRAMPS_PER_NIGHT = "cramps-per-night"
MINUTES_AWAKE = "minutes-awake"
SLEEP_QUALITY = "sleep-quality"
SORENESS = "soreness"
MEDICINE_TAKEN = "medicine-taken"
CRAMP_DURATION = "cramp-duration"
FACTOR_PREFIX = "factor-"
RELIEF_PREFIX = "relief-"
TRIAL_RATE_RATIO = "trial-rate-ratio"
TRIAL_CI95_LOW = "trial-rate-ratio-ci95-low"
TRIAL_CI95_HIGH = "trial-rate-ratio-ci95-high"
TRIAL_P_REDUCTION = "trial-p-reduction"
TRIAL_P_MEANINGFUL = "trial-p-meaningful"
TRIAL_THRESHOLD = "trial-meaningful-ratio"
TRIAL_REMEDY = "trial-remedy"
ASSESSMENT_FLAGS = "assessment-flags"

RELIEF_LABELS: Final[dict[str, str]] = {
    "stretch": "Stretched the muscle",
    "stand_walk": "Stood up or walked",
    "massage": "Massaged the muscle",
    "heat": "Used heat",
    "cold": "Used cold",
    "other": "Something else",
}
assert set(RELIEF_LABELS) == set(RELIEFS), "a relief lacks a label"

# The whole local code system: code -> (display, definition). docs/fhir.md must describe each one
# (a test checks), and `factor-<name>` / `relief-<name>` stand for their families.
LOCAL_CODES: Final[dict[str, tuple[str, str]]] = {
    CRAMPS_PER_NIGHT: (
        "Leg cramps in one night",
        "Number of leg cramps in the night named by the date of its evening; 0 is a real answer.",
    ),
    MINUTES_AWAKE: ("Minutes awake because of cramps", "Minutes awake in the night due to cramps."),
    SLEEP_QUALITY: (
        "Sleep quality",
        "The person's rating of the night, 1 very poor to 5 very good.",
    ),
    SORENESS: ("Leg soreness", "Soreness next morning: 0 none, 1 mild, 2 moderate, 3 severe."),
    MEDICINE_TAKEN: (
        "Medicine taken",
        "Name of a medicine taken on the day that ends in the night.",
    ),
    CRAMP_DURATION: ("Duration of the cramp", "How long one cramp lasted."),
    FACTOR_PREFIX + "<name>": (
        "Daily factor",
        "Value of one daily factor (CSV column <name>, percent-encoded) for the day that ends in "
        "the night: yes/no factors as valueBoolean, number factors as valueQuantity.",
    ),
    RELIEF_PREFIX + "<name>": (
        "Relief tried",
        "Something the person did during the cramp: " + ", ".join(RELIEFS) + ".",
    ),
    TRIAL_RATE_RATIO: (
        "Cramp rate ratio in a personal trial",
        "Posterior median of the ratio of cramp rates, remedy nights over control nights.",
    ),
    TRIAL_CI95_LOW: ("Rate ratio, 95% interval, low end", "2.5th percentile of the rate ratio."),
    TRIAL_CI95_HIGH: ("Rate ratio, 95% interval, high end", "97.5th percentile of the rate ratio."),
    TRIAL_P_REDUCTION: ("Probability the remedy reduces cramps", "P(rate ratio < 1)."),
    TRIAL_P_MEANINGFUL: (
        "Probability of a meaningful reduction",
        "Probability that the remedy cuts cramps by at least the trial's meaningful amount.",
    ),
    TRIAL_THRESHOLD: (
        "Meaningful rate ratio",
        "The rate ratio below which the trial calls a reduction meaningful (0.8 = 20% fewer).",
    ),
    TRIAL_REMEDY: ("Remedy tried", "Name of the remedy tested in the personal trial."),
    ASSESSMENT_FLAGS: (
        "Assessment flags",
        "Number of flags raised by the crampwise assessment; each flag is a component coded in "
        f"{ASSESSMENT_FLAG}.",
    ),
}


def local_display(code: str) -> str:
    """The display of one of our own codes (families by their prefix)."""
    if code.startswith(FACTOR_PREFIX):
        return LOCAL_CODES[FACTOR_PREFIX + "<name>"][0]
    if code.startswith(RELIEF_PREFIX):
        return RELIEF_LABELS.get(code.removeprefix(RELIEF_PREFIX), "Relief tried")
    return LOCAL_CODES[code][0]
