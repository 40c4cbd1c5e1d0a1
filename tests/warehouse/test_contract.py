"""The table lists in README and docs/contract.md are held to the schemas (warehouse/schemas.py), the one
place the columns are declared: every column they name exists, and every table they name is one."""
from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT
from warehouse.schemas import COLUMNS, PARTITION, TABLES

ROW = re.compile(r"^\| `(\w+)` \|(.*)\|\s*$", re.M)


def named_columns(doc: str) -> dict[str, set[str]]:
    """{table: the backticked names of its row} of a markdown table whose first cell is the table."""
    return {table: set(re.findall(r"`(\w+)`", cells)) for table, cells in ROW.findall(doc) if table in TABLES}


@pytest.mark.parametrize("doc", ["README.md", "docs/contract.md"])
def test_documented_columns_are_the_schemas(doc):
    tables = named_columns((ROOT / doc).read_text(encoding="utf-8"))
    assert set(tables) == set(TABLES), doc
    for table, names in tables.items():
        unknown = names - set(COLUMNS[table]) - {PARTITION}
        assert not unknown, f"{doc}: {table} names {sorted(unknown)}, not in warehouse/schemas.py"


def test_the_contract_names_every_column_a_consumer_relies_on():
    """The contract's columns are a subset of the schema; the README lists at least the contract's."""
    contract = named_columns((ROOT / "docs" / "contract.md").read_text(encoding="utf-8"))
    readme = named_columns((ROOT / "README.md").read_text(encoding="utf-8"))
    for table in TABLES:
        missing = contract[table] - readme[table]
        assert not missing, f"README's {table} row lacks {sorted(missing)}"


def test_every_column_a_suite_checks_is_declared():
    """The Great Expectations suites name only declared columns (or those the validation adds for them)."""
    import json

    from flows.validation import DERIVED

    for path in sorted((ROOT / "expectations").glob("*.json")):
        table = path.stem
        declared = set(COLUMNS[table]) | {PARTITION} | set(DERIVED)
        for exp in json.loads(path.read_text(encoding="utf-8"))["expectations"]:
            kwargs = exp["kwargs"]
            named = {kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs}
            named |= set(kwargs.get("column_list", []))
            assert named <= declared, f"{path.name}: {exp['type']} names {sorted(named - declared)}"
