"""bench/client_limits_cost.py runs and reports every column (never how fast anything was)."""

from __future__ import annotations

import json

from bench import client_limits_cost


def test_the_cost_script_reports_both_bookkeepings(capsys):
    client_limits_cost.main(["--pairs", "200", "--batch", "100"])
    result = json.loads(capsys.readouterr().out)
    for column in ("admit_us", "admit_dicts_us", "connection_us", "connection_counter_us"):
        assert result[column] > 0
    assert result["admit_ratio"] > 0 and result["connection_ratio"] > 0
