import subprocess
import sys
import time

import pytest

from maskgan_studio import __version__
from maskgan_studio.cli import COMMANDS, build_parser, main


def _run(*args):
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "maskgan_studio", *args], capture_output=True, text=True)
    return result, time.perf_counter() - start


def test_version():
    result, _ = _run("--version")
    assert result.returncode == 0
    assert __version__ in result.stdout


def test_help_paths_do_not_import_torch_or_qt():
    code = (
        "import sys\nfrom maskgan_studio.cli import build_parser\nbuild_parser()\n"
        "heavy = [m for m in ('torch', 'PySide6', 'cv2', 'skimage') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_every_subcommand_has_help():
    parser = build_parser()
    registered = parser._subparsers._group_actions[0].choices
    for name in registered:
        result, _ = _run(name, "--help")
        assert result.returncode == 0, result.stderr
        assert "usage: maskgan-studio " + name in result.stdout
    assert list(registered) == list(COMMANDS)


@pytest.mark.parametrize("command", [
    ["edit", "--image", "i.png", "--edited-mask", "e.png", "--out", "o.png"],
    ["eval"], ["bench"], ["parse", "photo.png", "--out", "m.png"], ["gui"],
])
def test_every_command_refuses_a_missing_model_in_one_line(command, tmp_path, capsys, monkeypatch):
    """--model is declared and checked in one place (commands/options.py)."""
    monkeypatch.chdir(tmp_path)
    assert main([*command, "--model", "missing.safetensors"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "missing.safetensors: model file not found" in err[0]


@pytest.mark.parametrize("command", [
    ["edit", "--image", "i.png", "--edited-mask", "e.png", "--out", "o.png"], ["eval"], ["bench"],
    ["train", "dmn", "--data", "synthetic", "--out", "run"],
])
def test_every_command_refuses_an_unknown_device_in_one_line(command, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main([*command, "--device", "tpu"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--device tpu: unknown device" in err[0]
    assert not (tmp_path / "run").exists()
