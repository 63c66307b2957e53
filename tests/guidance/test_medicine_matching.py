"""Matching medicines as people type them: doses, forms, brands, misspellings, combinations."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crampwise.guidance.core.medicines import (
    allowed_edits,
    default_index,
    edit_distance,
    match_medicine,
    normalise_name,
    strongest_link,
    takes_quinine,
    tokens,
)


def classes(text: str) -> list[str]:
    return [i.class_id for i in match_medicine(text).ingredients]


@pytest.mark.parametrize(
    ("text", "generic", "class_id"),
    [
        ("lasix 40 mg", "furosemide", "loop_diuretic"),
        ("Lasix 40mg", "furosemide", "loop_diuretic"),
        ("Hydrochlorothiazide 12.5mg", "hydrochlorothiazide", "thiazide_diuretic"),
        ("HCTZ 25", "hydrochlorothiazide", "thiazide_diuretic"),
        ("Seretide 250", "fluticasone + salmeterol", "laba_with_ics"),
        ("Advair Diskus 250/50", "fluticasone + salmeterol", "laba_with_ics"),
        ("Symbicort inhaler", "budesonide + formoterol", "laba_with_ics"),
        ("Serevent", "salmeterol", "laba_alone"),
        ("spironolactone 25mg tabs", "spironolactone", "potassium_sparing_diuretic"),
        ("Aldactone", "spironolactone", "potassium_sparing_diuretic"),
        ("Lipitor", "atorvastatin", "statin"),
        ("Tahor 20 mg", "atorvastatin", "statin"),
        ("Zocor", "simvastatin", "statin"),
        ("Fludex LP", "indapamide", "thiazide_diuretic"),
        ("Natrilix SR", "indapamide", "thiazide_diuretic"),
        ("Lasilix", "furosemide", "loop_diuretic"),
        ("Venofer", "iron sucrose", "iron_sucrose"),
        ("Premarin", "conjugated estrogens", "conjugated_estrogens"),
        ("Evista", "raloxifene", "raloxifene"),
        ("Forsteo pen", "teriparatide", "teriparatide"),
        ("naproxen sodium 220", "naproxen", "naproxen"),
        ("Alève", "naproxen", "naproxen"),
    ],
)
def test_it_matches_generic_and_brand_names_with_doses_and_forms(text, generic, class_id):
    """Names from the US, UK, Canada and France match, whatever dose or form follows."""
    match = match_medicine(text)
    assert match.status == "linked"
    assert [(i.generic, i.class_id) for i in match.ingredients] == [(generic, class_id)]
    assert match.fuzzy is False


@pytest.mark.parametrize(
    ("text", "generic"),
    [
        ("atorvastatn", "atorvastatin"),
        ("Hydroclorothiazide", "hydrochlorothiazide"),
        ("spironolacton", "spironolactone"),
        ("furosemid 20mg", "furosemide"),
        ("simvastatine", "simvastatin"),
        ("Lipitr", "atorvastatin"),
        ("salmetrol", "salmeterol"),
    ],
)
def test_it_forgives_small_misspellings_and_says_so(text, generic):
    """One or two typing errors in a long enough name still match, flagged as a guess."""
    match = match_medicine(text)
    assert [i.generic for i in match.ingredients] == [generic]
    assert match.fuzzy is True


@pytest.mark.parametrize("text", ["Lasics", "Somma", "Zantac 150", "Xanax", "Prolia", "fish oil"])
def test_it_never_stretches_a_short_or_distant_name_into_a_drug(text):
    """Short names need an exact match; anything further off is not recognised."""
    assert match_medicine(text).status == "not_recognised"


def test_a_misspelling_equally_close_to_two_drugs_is_refused():
    """ "Innovaie" is one edit from Innovair (an inhaler) and from Innovace (enalapril): no guess."""
    assert edit_distance("innovaie", "innovair") == 1
    assert edit_distance("innovaie", "innovace") == 1
    assert default_index().fuzzy("innovaie") is None
    assert match_medicine("Innovaie").status == "not_recognised"


@pytest.mark.parametrize(
    "text",
    [
        "bisoprolol 5mg",
        "Metoprolol succinate ER 50",
        "Toprol-XL",
        "tiotropium",
        "Spiriva Respimat",
    ],
)
def test_negative_controls_are_recognised_but_not_linked(text):
    """Beta-blockers and inhaled anticholinergics (studied, no link) raise no flag."""
    match = match_medicine(text)
    assert match.status == "no_known_link"
    assert strongest_link(match) is None


@pytest.mark.parametrize(
    "text", ["paracetamol", "acetaminophen 500", "Tylenol", "Panadol", "Doliprane 1000", "Zestril"]
)
def test_medicines_nobody_checked_are_not_called_free_of_a_link(text):
    """Known, not flagged, but "not_checked": no source we cite looked for a link."""
    match = match_medicine(text)
    assert match.status == "not_checked"
    assert strongest_link(match) is None


@pytest.mark.parametrize(
    ("text", "generic", "class_id"),
    [
        ("Relvar Ellipta 92/22", "vilanterol", "laba_newer"),
        ("Breo Ellipta", "vilanterol", "laba_newer"),
        ("Trelegy Ellipta", "vilanterol", "laba_newer"),
        ("Anoro Ellipta", "vilanterol", "laba_newer"),
        ("Spiolto Respimat", "olodaterol", "laba_newer"),
        ("Stiolto", "olodaterol", "laba_newer"),
        ("Ultibro Breezhaler", "indacaterol", "laba_newer"),
        ("Onbrez Breezhaler 150", "indacaterol", "laba_newer"),
        ("Trimbow", "formoterol", "laba_alone"),
        ("Duaklir Genuair", "formoterol", "laba_alone"),
        ("Ventolin evohaler", "salbutamol", "short_acting_beta_agonist"),
        ("Lyrica 75mg", "pregabalin", "pregabalin"),
    ],
)
def test_newer_inhalers_and_label_listed_medicines_are_linked(text, generic, class_id):
    """Combination inhalers are read through their long-acting ingredient; labels count too."""
    match = match_medicine(text)
    assert match.status == "linked" and not match.fuzzy and not match.unmatched_parts
    ingredient = strongest_link(match)
    assert (ingredient.generic, ingredient.class_id) == (generic, class_id)


@pytest.mark.parametrize("text", ["Hexaquine", "Qualaquin 324 mg", "Quinine-Odan", "Quinimax"])
def test_quinine_brands_are_recognised_as_quinine(text):
    """Quinine under its brand names in France, the US and Canada is still quinine."""
    assert takes_quinine([match_medicine(text)])


def test_combinations_typed_by_ingredient_map_to_the_combination_class():
    """ "budesonide/formoterol" is a LABA with a steroid, as Symbicort is."""
    assert classes("budesonide/formoterol") == ["laba_with_ics"]
    assert classes("fluticasone propionate / salmeterol xinafoate 250/50") == ["laba_with_ics"]
    assert classes("budesonide and formotrol") == ["laba_with_ics"]


def test_a_diuretic_inside_a_blood_pressure_combination_is_found():
    """Dyazide holds two diuretics; Ziac a beta-blocker and a thiazide; Coversyl Plus indapamide."""
    assert set(classes("Dyazide")) == {"potassium_sparing_diuretic", "thiazide_diuretic"}
    assert set(classes("Ziac")) == {"beta_blocker", "thiazide_diuretic"}
    assert "thiazide_diuretic" in classes("Coversyl Plus 5/1.25")
    assert classes("Coversyl") == ["other_no_known_link"]


def test_the_strongest_link_of_a_combination_is_reported():
    """Dyazide's potassium-sparing part is the stronger link."""
    assert strongest_link(match_medicine("Dyazide")).class_id == "potassium_sparing_diuretic"


def test_unknown_words_next_to_a_known_name_are_kept_as_not_recognised_parts():
    """ "Lasix and frobnicol" matches Lasix and reports "frobnicol" back."""
    match = match_medicine("Lasix and frobnicol")
    assert match.status == "linked"
    assert match.unmatched_parts == ("frobnicol",)


def test_vitamin_codes_are_exact_only():
    """ "vitamin b12" is not read as vitamin B complex; "MK-7" is vitamin K2."""
    assert match_medicine("vitamin b12").status == "not_recognised"
    assert match_medicine("MK-7 180mcg").ingredients[0].generic == "vitamin k2"


def test_quinine_and_statins_are_found_for_the_safety_flags():
    """The red-flag rules can see quinine and statins however they are typed."""
    assert classes("quinine sulfate 300mg") == ["quinine"]
    assert classes("Qualaquin") == ["quinine"]
    assert "statin" in classes("Caduet 5/10")


def test_tokens_drop_doses_forms_and_salts_but_keep_codes():
    """The normaliser strips what is not the name and keeps what is."""
    assert tokens("Seretide 250/25 Evohaler") == ["seretide"]
    assert tokens("Metoprolol succinate ER 47.5 mg") == ["metoprolol"]
    assert tokens("potassium chloride") == ["potassium", "chloride"]
    assert tokens("vitamin K2") == ["vitamin", "k2"]
    assert normalise_name("Co-Diovan") == "co diovan"


def test_allowed_edits_scale_with_the_length_of_the_name():
    """No edits below five letters, one up to seven, two from eight."""
    assert [allowed_edits(n) for n in ("soma", "lasix", "zestril", "atorvastatin")] == [0, 1, 1, 2]


def test_edit_distance_counts_a_swap_of_neighbours_as_one():
    """ "atrovastatin" is one swap away from "atorvastatin"."""
    assert edit_distance("atrovastatin", "atorvastatin") == 1
    assert edit_distance("kitten", "sitting") == 3


@given(st.text(max_size=60))
def test_matching_never_fails_on_any_text(text):
    """Whatever is typed, the matcher answers with one of its three statuses."""
    assert match_medicine(text).status in {"linked", "no_known_link", "not_recognised"}


@given(st.sampled_from(sorted(default_index().names)))
def test_every_known_name_matches_itself_exactly(name):
    """Each name in the index is found as typed, with no guessing."""
    match = match_medicine(name)
    assert match.status != "not_recognised" and match.fuzzy is False
