"""Shared fixtures: the real spaCy model once per session, the fixture folders."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = ROOT / "samples" / "seeds"
SEEDS_GOLD = FIXTURES / "dev" / "seeds-gold.json"


@pytest.fixture(scope="session")
def nlp():
    from flows.nlp import get_nlp

    return get_nlp()


@pytest.fixture(scope="session")
def seeds_gold() -> dict:
    return json.loads(SEEDS_GOLD.read_text("utf-8"))


def seed_text(name: str) -> str:
    return (SEEDS / name).read_text("utf-8")
