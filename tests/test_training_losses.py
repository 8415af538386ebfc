"""Loss terms that must stay finite under mixed precision."""

import torch

from maskgan_studio.training.losses import class_mean_colours, colour_loss


def test_class_mean_colours_of_a_large_flat_region_survive_fp16_autocast():
    # one class over all 256 x 256 pixels, colour 1: its sum (65536) is past fp16's largest value
    one_hot = torch.zeros(1, 19, 256, 256)
    one_hot[:, 0] = 1
    image = torch.ones(1, 3, 256, 256)
    with torch.autocast("cpu", dtype=torch.float16):
        means, present = class_mean_colours(one_hot, image)
        loss = colour_loss(torch.zeros(1, 19 * 3), one_hot, image)
    assert torch.equal(means[0, 0], torch.ones(3))
    assert present[0].tolist() == [True] + [False] * 18
    assert torch.isfinite(loss) and abs(float(loss) - 1.0) < 1e-6
