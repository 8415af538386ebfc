"""Network behaviour beyond parity: configs, shapes, and a style passed as an argument only."""

import threading

import pytest
import torch

from maskgan_studio.nets import (
    AdaptiveInstanceNorm2d,
    AlphaBlender,
    BlenderConfig,
    DiscriminatorConfig,
    DMNConfig,
    DMNGenerator,
    MaskVAE,
    MaskVAEConfig,
    MultiscaleDiscriminator,
    one_hot,
)

TINY_DMN = DMNConfig(ngf=4, n_downsample=2, n_blocks=2, style_nf=4)
SIZE = 64


def _tiny_dmn(seed=0):
    torch.manual_seed(seed)
    return DMNGenerator(TINY_DMN).eval()


def _labels(seed, batch=1):
    generator = torch.Generator().manual_seed(seed)
    coarse = torch.randint(0, 19, (batch, SIZE // 8, SIZE // 8), generator=generator)
    return coarse.repeat_interleave(8, 1).repeat_interleave(8, 2)


def _image(seed, batch=1):
    return torch.rand(batch, 3, SIZE, SIZE, generator=torch.Generator().manual_seed(seed)) * 2 - 1


def _module_snapshot(net):
    return {
        name: (sorted(vars(module)), {k: v.clone() for k, v in module.state_dict(keep_vars=False).items()})
        for name, module in net.named_modules()
    }


@pytest.mark.parametrize("config_class", [DMNConfig, MaskVAEConfig, BlenderConfig, DiscriminatorConfig])
def test_configs_round_trip_through_dicts_and_refuse_unknown_fields(config_class):
    config = config_class()
    assert config_class.from_dict(config.to_dict()) == config
    with pytest.raises(ValueError, match="no field"):
        config_class.from_dict({**config.to_dict(), "bogus": 1})
    with pytest.raises(ValueError):
        config_class.from_dict({**config.to_dict(), next(iter(config.to_dict())): 0})


def test_one_hot_shapes_and_values():
    labels = torch.tensor([[0, 18], [5, 5]], dtype=torch.uint8)
    encoded = one_hot(labels)
    assert encoded.shape == (1, 19, 2, 2) and encoded.dtype == torch.float32
    assert torch.equal(encoded.argmax(1)[0], labels.long()) and torch.equal(encoded.sum(1), torch.ones(1, 2, 2))
    with pytest.raises(TypeError):
        one_hot(encoded)


@torch.no_grad()
def test_dmn_style_size_follows_the_backbone_and_pooled_feature_is_returned():
    net = _tiny_dmn()
    style, pooled = net.encode_style_features(_labels(1), _image(1))
    assert style.shape == (1, 2 * 2 * 2 * 4 * 4)  # blocks x layers x (bias, weight) x widest width
    adain_values = sum(m.num_params for m in net.modules() if isinstance(m, AdaptiveInstanceNorm2d))
    assert style.shape[1] == TINY_DMN.num_style_params == adain_values
    assert pooled.shape == (1, 4 * TINY_DMN.style_nf)
    image = net.generate(_labels(2), style)
    assert image.shape == (1, 3, SIZE, SIZE) and image.abs().max() <= 1
    with pytest.raises(ValueError, match="style has"):
        net.generate(_labels(2), style[:, :-1])


@torch.no_grad()
def test_one_style_serves_many_masks_and_the_style_changes_the_picture():
    net = _tiny_dmn()
    style_a = net.encode_style(_labels(1), _image(1))
    style_b = torch.randn(style_a.shape, generator=torch.Generator().manual_seed(0))  # any AdaIN values
    masks = _labels(2, batch=3)
    batched = net.generate(masks, style_a)  # one (1, N) style broadcasts over three masks
    for i in range(3):
        assert torch.allclose(batched[i : i + 1], net.generate(masks[i : i + 1], style_a), atol=1e-6)
    assert (net.generate(masks[:1], style_b) - batched[:1]).abs().max() > 0.1


@torch.no_grad()
def test_two_styles_in_two_threads_match_separate_runs_and_leave_no_state():
    net = _tiny_dmn()
    styles = [net.encode_style(_labels(1), _image(1)), torch.randn(1, TINY_DMN.num_style_params)]
    mask = _labels(2)
    alone = [net.generate(mask, style) for style in styles]
    before = _module_snapshot(net)

    results = [[None] * 20, [None] * 20]
    barrier = threading.Barrier(2)

    def draw(which):
        barrier.wait()
        for i in range(20):
            results[which][i] = net.generate(mask, styles[which])

    threads = [threading.Thread(target=draw, args=(i,)) for i in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for which in (0, 1):
        assert all(torch.equal(out, alone[which]) for out in results[which])
    assert (alone[0] - alone[1]).abs().max() > 0.1

    after = _module_snapshot(net)
    assert before.keys() == after.keys()
    for name in before:
        assert before[name][0] == after[name][0], f"attributes of {name!r} changed"
        assert before[name][1].keys() == after[name][1].keys()
        assert all(torch.equal(before[name][1][k], after[name][1][k]) for k in before[name][1])


def test_training_step_leaves_adain_buffers_alone_and_reaches_every_parameter():
    net = _tiny_dmn().train()
    buffers = {k: v.clone() for k, v in net.named_buffers()}
    net(_labels(2, batch=2), _labels(1, batch=2), _image(1, batch=2)).mean().backward()
    assert all(torch.equal(buffers[k], v) for k, v in net.named_buffers())
    assert all(p.grad is not None for p in net.parameters())


@pytest.mark.parametrize("resolution, stages", [(512, 7), (256, 6), (64, 4)])
def test_mask_vae_stages_follow_resolution(resolution, stages):
    config = MaskVAEConfig(ngf=2, ndf=2, latent=8, resolution=resolution)
    net = MaskVAE(config)
    assert config.stages == stages
    assert hasattr(net, f"e{stages}") and not hasattr(net, f"e{stages + 1}")
    assert hasattr(net, f"bn{2 * stages - 1}") and hasattr(net, f"d{stages + 1}")
    if resolution <= 256:
        net.train()
        logits, mu, logvar = net(one_hot(torch.randint(0, 19, (2, resolution, resolution))))
        assert logits.shape == (2, 19, resolution, resolution) and mu.shape == logvar.shape == (2, 8)


def test_mask_vae_refuses_resolution_that_is_not_a_power_of_two():
    with pytest.raises(ValueError, match="power of two"):
        MaskVAEConfig(resolution=500)


@torch.no_grad()
def test_blender_alpha_is_a_weight_between_the_two_images():
    net = AlphaBlender(BlenderConfig(ngf=4, n_downsample=2, n_blocks=1)).eval()
    a, b = _image(1), _image(2)
    blended, alpha = net.blend(a, b)
    assert alpha.shape == a.shape and alpha.min() >= 0 and alpha.max() <= 1
    low = torch.minimum(a, b) - 1e-6
    high = torch.maximum(a, b) + 1e-6
    assert ((blended >= low) & (blended <= high)).all()


@torch.no_grad()
def test_discriminator_returns_features_per_scale_full_scale_first():
    config = DiscriminatorConfig(input_nc=22, ndf=4, n_layers=3, num_D=3)
    net = MultiscaleDiscriminator(config)
    outputs = net(torch.randn(2, 22, 64, 64))
    assert len(outputs) == 3 and all(len(scale) == config.n_layers + 2 for scale in outputs)
    predictions = [scale[-1] for scale in outputs]
    assert all(p.shape[:2] == (2, 1) for p in predictions)
    assert predictions[0].shape[-1] > predictions[1].shape[-1] > predictions[2].shape[-1]
    assert [f.shape[1] for f in outputs[0][:-1]] == [4, 8, 16, 32]

    only_predictions = MultiscaleDiscriminator(DiscriminatorConfig(ndf=4, num_D=2, intermediate_features=False))
    assert [len(scale) for scale in only_predictions(torch.randn(1, 22, 32, 32))] == [1, 1]
