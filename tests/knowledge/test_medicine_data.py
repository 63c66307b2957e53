"""The medicines linked with cramps: classes, ATC codes, names in four countries, and sources."""

from __future__ import annotations

from crampwise.core.knowledge import load_knowledge

REQUIRED_LINKED_CLASSES = {
    "potassium_sparing_diuretic": "C03D",
    "thiazide_diuretic": "C03",
    "loop_diuretic": "C03CA",
    "statin": "C10AA",
    "laba_alone": "R03AC",
    "laba_with_ics": "R03AK",
    "iron_sucrose": "B03AC",
    "conjugated_estrogens": "G03CA57",
    "raloxifene": "G03XC01",
    "teriparatide": "H05AA02",
    "naproxen": "M01AE02",
}


def test_the_classes_linked_with_cramps_are_listed_with_atc_codes():
    """Each class the research names is present, linked, and coded in the right ATC group."""
    classes = load_knowledge().classes
    for class_id, prefix in REQUIRED_LINKED_CLASSES.items():
        cls = classes[class_id]
        assert cls.associated, class_id
        assert cls.atc and all(code.startswith(prefix) for code in cls.atc), class_id


def test_every_linked_class_gives_its_strength_and_source():
    """Strength comes from a fixed set and at least one source backs it."""
    for cls in load_knowledge().classes.values():
        if cls.associated:
            assert cls.strength in {"strong", "moderate", "weak", "reported", "label", "same_type"}
            assert cls.sources


def test_the_strengths_follow_the_sequence_symmetry_study():
    """LABA and potassium-sparing strongest, thiazides moderate, loop and statins weak."""
    classes = load_knowledge().classes
    assert classes["laba_with_ics"].strength == "strong"
    assert classes["potassium_sparing_diuretic"].strength == "strong"
    assert classes["thiazide_diuretic"].strength == "moderate"
    assert classes["loop_diuretic"].strength == "weak"
    assert classes["statin"].strength == "weak"
    assert classes["statin"].measure.value == 1.16


def test_classes_without_evidence_are_not_flagged():
    """Negative controls and medicines without a sourced link are recognised but not linked."""
    kb = load_knowledge()
    for generic in (
        "bisoprolol",
        "metoprolol",
        "tiotropium",
        "paracetamol",
        "lisinopril",
        "losartan",
    ):
        assert not kb.classes[kb.drugs[generic].class_id].associated, generic


def test_only_the_study_negative_controls_count_as_checked_for_a_link():
    """Beta-blockers and inhaled anticholinergics were studied; the rest are not "no link"."""
    kb = load_knowledge()
    checked = {cls.id for cls in kb.classes.values() if cls.link_checked}
    assert checked == {"beta_blocker", "inhaled_anticholinergic"}
    assert not kb.classes[kb.drugs["lisinopril"].class_id].link_checked
    assert not kb.classes[kb.drugs["paracetamol"].class_id].link_checked


def test_salbutamol_and_pregabalin_carry_what_their_labels_say():
    """Both leaflets list muscle cramps: linked at the "label" strength with the label cited."""
    kb = load_knowledge()
    for generic, source in (
        ("salbutamol", "salbutamol_leaflet"),
        ("pregabalin", "pregabalin_smpc"),
    ):
        cls = kb.classes[kb.drugs[generic].class_id]
        assert cls.associated and cls.strength == "label", generic
        assert source in cls.sources, generic
    # The pregabalin frequency was read in a summary, and the source says so.
    assert kb.sources["pregabalin_smpc"].status == "secondary"


def test_newer_long_acting_inhalers_are_recognised_but_not_given_a_measured_link():
    """Vilanterol, olodaterol and indacaterol: same type as the linked ones, no ratio of their own."""
    kb = load_knowledge()
    for generic in ("vilanterol", "olodaterol", "indacaterol"):
        cls = kb.classes[kb.drugs[generic].class_id]
        assert cls.id == "laba_newer" and cls.strength == "same_type" and cls.measure is None


def test_combination_inhalers_of_the_newer_type_have_brands_in_every_country():
    """Relvar/Breo, Trelegy, Anoro, Spiolto/Stiolto and Ultibro are known in all four countries."""
    combos = load_knowledge().combinations
    for combo_id in (
        "fluticasone_vilanterol",
        "fluticasone_umeclidinium_vilanterol",
        "umeclidinium_vilanterol",
        "tiotropium_olodaterol",
        "indacaterol_glycopyrronium",
    ):
        assert set(combos[combo_id].brands) == {"US", "UK", "CA", "FR"}, combo_id


def test_quinine_is_known_by_its_brands_in_the_four_countries_where_sold():
    """Qualaquin in the US, Hexaquine and others in France, generics in Canada."""
    brands = load_knowledge().drugs["quinine"].brands
    assert "Qualaquin" in brands["US"] and "Hexaquine" in brands["FR"] and brands["CA"]


def test_ace_inhibitors_and_arbs_are_never_listed_as_a_cause():
    """The research found no evidence for them, so no class with C09 codes is linked."""
    for cls in load_knowledge().classes.values():
        if cls.associated:
            assert not any(code.startswith("C09") for code in cls.atc)


def test_unchecked_atc_codes_are_marked_as_such():
    """Only the iron sucrose code was checked in the research; the others say they are not."""
    classes = load_knowledge().classes
    assert classes["iron_sucrose"].atc_verified
    assert not classes["statin"].atc_verified


def test_brand_names_cover_the_us_the_uk_canada_and_france():
    """Each country has brand names for the common linked classes."""
    kb = load_knowledge()
    for country in ("US", "UK", "CA", "FR"):
        linked_brands = [
            brand
            for drug in kb.drugs.values()
            if kb.classes[drug.class_id].associated
            for brand in drug.brands.get(country, ())
        ]
        assert len(linked_brands) >= 10, country


def test_combination_inhalers_map_to_their_own_class():
    """Symbicort and Seretide/Advair are LABA with a steroid, not two separate drugs."""
    combos = load_knowledge().combinations
    assert combos["budesonide_formoterol"].class_id == "laba_with_ics"
    assert "Symbicort" in combos["budesonide_formoterol"].brand_names
    assert {"Seretide", "Advair"} <= set(combos["fluticasone_salmeterol"].brand_names)
