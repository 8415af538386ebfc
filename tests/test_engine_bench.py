"""``maskgan-studio bench``: every step of an edit timed, as a table or as JSON rows."""

import json

import pytest

from engine_support import tiny_model
from maskgan_studio.checkpoints import save_bundle
from maskgan_studio.cli import main
from maskgan_studio.engine.timing import Timing, format_table


def test_bench_json_rows_cover_every_step(tmp_path, capsys):
    model = save_bundle(tmp_path / "tiny.safetensors", tiny_model())
    assert main(["bench", "--model", str(model), "--device", "cpu", "--backend", "torch", "--eager", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    names = [row["name"] for row in report["rows"]]
    assert names == ["style encoding", "generation 64x64", "preview (32x32, pasted back)", "whole edit (pasted back)"]
    for row in report["rows"]:
        assert 0 < row["median_ms"] <= row["p95_ms"]
    assert (report["backend"], report["runs"], report["resolution"]) == ("eager", 20, 64)


def test_bench_times_openvino(tmp_path, capsys):
    model = save_bundle(tmp_path / "tiny.safetensors", tiny_model())
    assert main(["bench", "--model", str(model), "--backend", "openvino", "--precision", "fp32", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["backend"], report["precision"], report["device"]) == ("openvino", "fp32", "cpu")


@pytest.mark.slow  # about 15 s on an idle 2-core machine, 30 s under load: 20 rounds of four contenders
def test_backends_side_by_side_beside_the_published_code(tmp_path, capsys):
    model = save_bundle(tmp_path / "tiny.safetensors", tiny_model())
    assert main(["bench", "--model", str(model), "--compare-backends", "--json"]) == 0
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)["rows"]}
    assert {"published code (eager forward)", "torch eager fp32", "OpenVINO fp32"} <= set(rows)
    assert rows["torch eager fp32"]["levels"] == 0
    assert rows["OpenVINO fp32"]["levels"] <= 0.5
    assert all(row["edit_ms"] > 0 for row in rows.values())
    assert all(row["preview_ms"] > 0 for name, row in rows.items() if name != "published code (eager forward)")


def test_table_lists_each_step_with_its_median_and_p95():
    table = format_table([Timing("style encoding", 12.34, 20.0), Timing("whole edit (pasted back)", 101.0, 150.5)])
    lines = table.splitlines()
    assert "median ms" in lines[0] and "p95 ms" in lines[0]
    assert lines[2].split() == ["style", "encoding", "12.3", "20.0"]
    assert lines[3].split()[-2:] == ["101.0", "150.5"]


def test_too_few_runs_are_refused(capsys):
    assert main(["bench", "--runs", "5"]) == 2
    assert "--runs must be at least 20" in capsys.readouterr().err
