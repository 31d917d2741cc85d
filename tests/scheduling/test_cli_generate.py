import json
import subprocess
import sys
from pathlib import Path

from sched_helpers import instance, meeting, person, slots

from qiao.scheduling import (
    baseline_first_free,
    parse_instance,
    solution_from_dict,
    validate_solution,
)
from qiao.scheduling.cli import main
from qiao.scheduling.generate import generate_instance
from qiao.scheduling.lns import solve_large

SRC = Path(__file__).resolve().parents[2] / "src"


def write(tmp_path, data) -> str:
    path = tmp_path / "inst.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_cli_writes_valid_schedule(tmp_path, capsys):
    data = instance(slots(3), [person("a"), person("b"), person("c")],
                    [meeting("ab", "a", "b"), meeting("ac", "a", "c")])
    code = main([write(tmp_path, data), "--time-limit", "5", "--seed", "1"])
    out = capsys.readouterr()
    assert code == 0 and out.err == ""
    result = json.loads(out.out)
    assert result["format"] == "qiao-schedule/1"
    assert result["status"] == "optimal"
    assert result["objective"] == {"scheduled": 2, "weight": 2, "breaks": 0}
    inst = parse_instance(data)
    assert validate_solution(inst, solution_from_dict(result)) == []


def test_cli_malformed_input_exit_2(tmp_path, capsys):
    data = instance(slots(2), [person("a")], [meeting("ab", "a", "ghost")])
    code = main([write(tmp_path, data)])
    err = capsys.readouterr().err
    assert code == 2
    assert "meeting 'ab': field 'participants': unknown participant 'ghost'" in err
    bad = tmp_path / "broken.json"
    bad.write_text("{not json")
    assert main([str(bad)]) == 2
    assert "not valid JSON" in capsys.readouterr().err
    assert main([str(tmp_path / "missing.json")]) == 2


def test_python_m_entry_point(tmp_path):
    data = instance(slots(2), [person("a"), person("b")], [meeting("ab", "a", "b")])
    proc = subprocess.run([sys.executable, "-m", "qiao.scheduling", write(tmp_path, data),
                           "--time-limit", "5"], capture_output=True, text=True,
                          env={"PYTHONPATH": str(SRC)}, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["objective"]["scheduled"] == 1


def test_generator_is_seeded_and_valid():
    a = generate_instance(60, seed=4)
    assert a == generate_instance(60, seed=4)
    assert a != generate_instance(60, seed=5)
    inst = parse_instance(a)
    assert len(inst.meetings) == 300
    assert any(inst.needs_interpreter(m) for m in inst.meetings)
    assert any(m.remote for m in inst.meetings)
    assert {m.priority for m in inst.meetings} == {1, 2, 3}
    assert any(len(p.available) < len(inst.slots) for p in inst.participants)


def test_large_neighbourhood_search_beats_baseline():
    inst = parse_instance(generate_instance(60, seed=2))
    base = baseline_first_free(inst)
    sol = solve_large(inst, time_limit=4, seed=0, workers=2)
    assert validate_solution(inst, sol) == []
    assert sol.weight >= base.weight
    assert sol.breaks < base.breaks
    assert sol.stats["method"] == "greedy+lns" and sol.stats["lns_steps"] > 0
