"""datasets/split_by_id.py: a split by a hash of the id, the same for every order of the file, each record on one side."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "split_by_id.py"
ENGLISH_SEA = Path(__file__).resolve().parent.parent / "regional-postings" / "english-sea.jsonl"


def split(path: Path, out: Path, every: int = 3) -> tuple[list[str], list[str], subprocess.CompletedProcess]:
    held, rest = out / "held.jsonl", out / "rest.jsonl"
    done = subprocess.run([sys.executable, str(SCRIPT), str(path), "--every", str(every), "--held", str(held),
                           "--rest", str(rest)], capture_output=True, text=True)
    read = lambda p: [json.loads(line)["id"] for line in p.read_text().splitlines()] if p.exists() else []
    return read(held), read(rest), done


def test_every_record_goes_to_one_side_whatever_the_order(tmp_path: Path) -> None:
    records = [{"id": f"r-{i}", "text": f"text {i}", "label": i % 2} for i in range(300)]
    forward, backward = tmp_path / "forward.jsonl", tmp_path / "backward.jsonl"
    forward.write_text("".join(json.dumps(r) + "\n" for r in records))
    backward.write_text("".join(json.dumps(r) + "\n" for r in reversed(records)) + "\n")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    held, rest, done = split(forward, tmp_path / "a")
    assert done.returncode == 0, done.stderr
    assert sorted(held + rest) == sorted(r["id"] for r in records) and not set(held) & set(rest)
    assert 70 <= len(held) <= 130, len(held)  # about a third
    held_b, rest_b, _ = split(backward, tmp_path / "b")
    assert set(held_b) == set(held) and set(rest_b) == set(rest)


def test_the_english_postings_split_is_the_one_the_recipe_trained_on(tmp_path: Path) -> None:
    held, rest, done = split(ENGLISH_SEA, tmp_path)
    assert done.returncode == 0, done.stderr
    # models/lurescan-base's card: 112 in validation, 236 in training.
    assert (len(held), len(rest)) == (112, 236)


def test_a_line_without_an_id_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "x"}\n{"text": "no id"}\n')
    _, _, done = split(bad, tmp_path)
    assert done.returncode != 0 and "bad.jsonl:2" in done.stderr and "id" in done.stderr
