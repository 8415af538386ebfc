import numpy as np
import pytest

from maskgan_studio.core.style_map import GROUPS, StyleMap, group_of, parse_classes, reference_key
from maskgan_studio.errors import StudioError
from maskgan_studio.labels import ID


def test_class_and_group_names_parse_to_sorted_ids():
    assert parse_classes("hair") == (ID["hair"],)
    assert parse_classes("lips, Skin") == tuple(sorted({*GROUPS["lips"], *GROUPS["skin"]}))
    assert parse_classes("l_eye,eyes") == (ID["l_eye"], ID["r_eye"])


def test_an_unknown_name_is_refused_with_the_known_ones():
    with pytest.raises(StudioError, match="'fur'.*hair.*eye_g"):
        parse_classes("hair,fur")


def test_assign_and_clear_classes():
    style = StyleMap().assign(GROUPS["lips"], "b").assign([ID["hair"]], "c")
    assert style.source(ID["u_lip"]) == "b" and style.source(ID["hair"]) == "c"
    assert style.source(ID["skin"]) is None
    assert style.keys == ("b", "c")
    assert style.classes_of("b") == tuple(sorted(GROUPS["lips"]))
    assert not style.assign(GROUPS["lips"], None).without("c")
    assert style.without("b") == StyleMap().assign([ID["hair"]], "c")


def test_round_trip_through_a_project_dict_and_bad_dicts():
    style = StyleMap.of({ID["hair"]: "k1", ID["skin"]: "k2"})
    assert style.to_dict() == {"skin": "k2", "hair": "k1"}
    assert StyleMap.from_dict(style.to_dict()) == style
    for bad in ([], {"fur": "k"}, {"hair": 3}, {"hair": ""}):
        with pytest.raises(StudioError, match="style map"):
            StyleMap.from_dict(bad)


def test_pairs_out_of_order_or_repeated_are_refused():
    with pytest.raises(ValueError):
        StyleMap(((13, "a"), (1, "b")))
    with pytest.raises(ValueError):
        StyleMap(((13, "a"), (13, "b")))


def test_reference_key_follows_the_pixels():
    image = np.zeros((8, 8, 3), np.uint8)
    mask = np.zeros((8, 8), np.uint8)
    assert reference_key(image, mask) == reference_key(image.copy(), mask.copy())
    mask[0, 0] = 1
    assert reference_key(image, mask) != reference_key(image, np.zeros((8, 8), np.uint8))


def test_a_class_takes_its_style_with_its_group():
    assert group_of(ID["nose"]) == ("skin", GROUPS["skin"])
    assert group_of(ID["hat"]) == ("Hat", (ID["hat"],))
