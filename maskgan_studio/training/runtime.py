"""Where training runs: the device, and the process group when started by ``torchrun``.

``torchrun`` sets RANK, WORLD_SIZE and LOCAL_RANK; with more than one process the group uses
NCCL on CUDA and gloo otherwise, each process drives ``cuda:LOCAL_RANK`` (or the CPU), and only
rank 0 writes files. Nothing here starts processes: torchrun does that.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel

from maskgan_studio.errors import StudioError

DEVICES = ("auto", "cpu", "cuda", "mps")


@dataclass(frozen=True)
class Runtime:
    device: torch.device
    rank: int = 0
    world: int = 1

    @property
    def distributed(self) -> bool:
        return self.world > 1

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    @property
    def amp(self) -> bool:
        """Mixed precision (float16 autocast with loss scaling) on CUDA only."""
        return self.device.type == "cuda"

    def wrap(self, module: nn.Module) -> nn.Module:
        """DistributedDataParallel around ``module`` when there are several processes."""
        if not self.distributed:
            return module
        ids = [self.device.index] if self.device.type == "cuda" else None
        return DistributedDataParallel(module, device_ids=ids)

    def all_true(self, flag: bool) -> bool:
        """True when ``flag`` holds on every rank (one tiny collective when distributed)."""
        if not self.distributed:
            return flag
        value = torch.tensor([1.0 if flag else 0.0], device=self.device)
        dist.all_reduce(value, op=dist.ReduceOp.MIN)
        return bool(value.item())

    def any_true(self, flag: bool) -> bool:
        return not self.all_true(not flag)

    def gather(self, obj: object) -> list[object]:
        """Every rank's ``obj``, in rank order (all ranks take part)."""
        if not self.distributed:
            return [obj]
        found: list[object] = [None] * self.world
        dist.all_gather_object(found, obj)
        return found

    def barrier(self) -> None:
        if self.distributed:
            dist.barrier()


def _pick_device(name: str, local_rank: int) -> torch.device:
    if name not in DEVICES:
        raise StudioError(f"unknown device {name!r}; use one of {', '.join(DEVICES)}")
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    if name == "cuda":
        if not torch.cuda.is_available():
            raise StudioError("--device cuda: no CUDA device is available to this torch build")
        torch.cuda.set_device(local_rank)
        return torch.device("cuda", local_rank)
    if name == "mps" and not torch.backends.mps.is_available():
        raise StudioError("--device mps: Metal is not available here")
    return torch.device(name)


def start(device: str = "auto") -> Runtime:
    """Pick the device and, under torchrun with several processes, join the process group."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    chosen = _pick_device(device, local_rank)
    if world > 1 and not dist.is_initialized():
        if chosen.type == "mps":
            raise StudioError("several processes need CUDA (NCCL) or the CPU (gloo); MPS is single-process")
        dist.init_process_group(backend="nccl" if chosen.type == "cuda" else "gloo")
    return Runtime(chosen, rank, world)


def stop(runtime: Runtime) -> None:
    if runtime.distributed and dist.is_initialized():
        dist.destroy_process_group()
