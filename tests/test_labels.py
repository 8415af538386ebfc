import numpy as np

from maskgan_studio import labels


def test_table_matches_design():
    assert labels.NUM_CLASSES == 19
    assert labels.CLASSES[13].name == "hair" and labels.CLASSES[13].rgb == (0, 0, 204)
    assert labels.CLASSES[4].display_name == "Left eye"
    assert len({c.rgb for c in labels.CLASSES}) == 19
    assert len({c.shortcut for c in labels.CLASSES}) == 19


def test_bisenet_round_trip():
    ours = np.arange(19, dtype=np.uint8).reshape(1, 19)
    assert np.array_equal(labels.from_bisenet(labels.to_bisenet(ours)), ours)
    # BiSeNet id 17 is hair, 10 is nose.
    assert labels.from_bisenet(np.array([17, 10]))[0] == labels.ID["hair"]
    assert labels.from_bisenet(np.array([17, 10]))[1] == labels.ID["nose"]


def test_flip_swaps_left_and_right():
    mask = np.zeros((2, 4), np.uint8)
    mask[0, 0] = labels.ID["l_eye"]
    mask[1, 3] = labels.ID["hair"]
    flipped = labels.flip_labels(mask)
    assert flipped[0, 3] == labels.ID["r_eye"]
    assert flipped[1, 0] == labels.ID["hair"]
