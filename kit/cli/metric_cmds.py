"""`kit metrics`: the metric catalog, so a spec's `metric` and a submission's columns are never a guess."""

from __future__ import annotations

import typer
from rich.table import Table

from kit.cli.common import JsonOption, console, print_json


def catalog_rows() -> list[dict]:
    from grader import get_metric, list_metrics

    rows = []
    for name in list_metrics():
        metric = get_metric(name)
        rows.append({"name": metric.name, "direction": metric.direction, "arrow": metric.arrow, "task": metric.task,
                     "prediction": metric.prediction.value, "holds": metric.prediction.holds,
                     "description": metric.description})
    return rows


def metrics(as_json: JsonOption = False) -> None:
    """List the metrics a challenge can use: name, direction, what a submission holds, what it measures.

    Example: kit metrics
    """
    rows = catalog_rows()
    if as_json:
        print_json(rows)
        return
    table = Table("metric", "better", "task", "a submission holds", "what it measures")
    for row in rows:
        table.add_row(row["name"], f"{row['arrow']} {row['direction']}", row["task"], row["holds"], row["description"])
    console.print(table)
    console.print("Also map@K for any K from 1 to 999, and custom:FILE.py:FUNCTION with metric_direction and "
                  "metric_prediction (see the README).")


def register_commands(app: typer.Typer) -> None:
    app.command()(metrics)
