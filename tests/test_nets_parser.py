"""The BiSeNet face parser: the published key layout and parity with the conformance outputs."""

import json

import torch

from maskgan_studio.nets import FaceParser, FaceParserConfig


def test_state_dict_matches_published_layout(conformance_dir):
    layout = json.loads((conformance_dir / "parser_layout.json").read_text())["face_parser_bisenet"]
    ours = {name: list(t.shape) for name, t in FaceParser().state_dict().items()}
    assert ours == layout["state_dict"]


def test_reproduces_published_logits(conformance_dir):
    entry = torch.load(conformance_dir / "parser_parity.pt", weights_only=True)["face_parser_bisenet"]
    net = FaceParser(FaceParserConfig(n_classes=entry["config"]["n_classes"])).eval()
    net.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in entry["state_dict_fp16"].items()})
    with torch.no_grad():
        logits = net(entry["inputs"]["image01"].float())
    expected = entry["expected"]["logits"]
    assert logits.shape == expected.shape
    assert (logits - expected).abs().max() <= 1e-3 * expected.abs().max()
    assert (logits.argmax(1) == entry["expected"]["labels"]).float().mean() > 0.999


def test_auxiliary_heads_share_the_main_output_and_input_size():
    torch.manual_seed(0)
    net = FaceParser(FaceParserConfig(n_classes=5)).eval()
    image = torch.rand(1, 3, 64, 96)
    with torch.no_grad():
        main, aux8, aux16 = net.forward_all(image)
        alone = net(image)
    assert main.shape == aux8.shape == aux16.shape == (1, 5, 64, 96)
    assert torch.equal(main, alone)
    assert FaceParserConfig.from_dict(net.config.to_dict()) == net.config
