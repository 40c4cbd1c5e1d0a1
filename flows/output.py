"""What a command prints on stdout: human lines, or with --json one JSON object (the result) and nothing else."""
from __future__ import annotations

import json
import sys

from flows.settings import PIPELINE_VERSION


class Output:
    """stdout is the result: human lines, or with --json one JSON object and nothing else."""

    def __init__(self, as_json: bool, command: str):
        self.as_json, self.command, self.settings = as_json, command, None

    def say(self, line: str) -> None:
        if not self.as_json:
            print(line, flush=True)

    def result(self, result: dict) -> int:
        status = result.pop("exit_status", 0)
        doc = {"newsetl_version": PIPELINE_VERSION, "command": self.command, "exit_status": status, **result}
        if self.as_json:
            print(json.dumps(doc, default=str, ensure_ascii=False))
        if self.settings is not None and self.settings.summary_json:
            with open(self.settings.summary_json, "w", encoding="utf-8") as f:
                json.dump(doc, f, default=str, ensure_ascii=False)
        return status

    def error(self, message: str, status: int) -> int:
        print(f"newsetl: error: {message}", file=sys.stderr)
        if self.as_json:
            print(json.dumps({"newsetl_version": PIPELINE_VERSION, "command": self.command, "exit_status": status,
                              "error": message}, ensure_ascii=False))
        return status


def print_rows(cols: list[str], rows: list[tuple], fmt: str) -> None:
    if fmt == "json":
        for row in rows:
            print(json.dumps(dict(zip(cols, row, strict=False)), default=str, ensure_ascii=False))
    elif fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout)
        writer.writerow(cols)
        writer.writerows(rows)
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(*cols, show_lines=False)
        for row in rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        Console().print(table)
        print(f"({len(rows)} rows)")
