"""Two processes under torchrun (gloo on CPU) train one model: identical weights on both ranks."""

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import torch

from maskgan_studio.checkpoints import load_model
from maskgan_studio.nets import DMNGenerator
from maskgan_studio.training.config import load_preset
from maskgan_studio.training.run_state import seed_everything

SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    import torch
    import torch.distributed as dist

    from maskgan_studio.training.session import TrainOptions, run_training

    torch.set_num_threads(1)
    out = Path(sys.argv[1])
    outcome, trainer = run_training(TrainOptions("dmn", "synthetic", out / "run", "tiny", steps=3, device="cpu"))
    rank = trainer.runtime.rank
    torch.save({name: net.state_dict() for name, net in trainer.nets.items()}, out / f"rank{rank}.pt")
    """
)


def torchrun() -> str:
    found = shutil.which("torchrun") or str(Path(sys.executable).with_name("torchrun"))
    if not Path(found).exists():
        pytest.skip("torchrun is not installed beside this Python")
    return found


def test_two_gloo_processes_end_with_identical_weights(tmp_path):
    script = tmp_path / "train_two.py"
    script.write_text(SCRIPT)
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    command = [torchrun(), "--standalone", "--nproc_per_node", "2", str(script), str(tmp_path)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]

    rank0 = torch.load(tmp_path / "rank0.pt", weights_only=True)
    rank1 = torch.load(tmp_path / "rank1.pt", weights_only=True)
    for name in ("dmn", "colour_head", "discriminator"):
        torch.testing.assert_close(rank0[name], rank1[name], rtol=0, atol=0)
    # the ranks drew different faces, so equal weights mean the gradients were averaged; and they moved
    seed_everything(0)
    initial = DMNGenerator(load_preset("tiny", "dmn").dmn).state_dict()
    assert any(not torch.equal(initial[key], rank0["dmn"][key]) for key in initial)

    bundle = load_model(tmp_path / "run" / "model.safetensors")  # written by rank 0 only
    torch.testing.assert_close(bundle.dmn.state_dict(), rank0["dmn"])
    state = torch.load(tmp_path / "run" / "checkpoint.pt", weights_only=True)
    assert len(state["ranks"]) == 2 and state["ranks"][1]["position"] == 3 * state["config"]["batch_size"]
