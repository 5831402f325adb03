"""MkDocs hook: the footer of every page names the Airflow version the samples were tested with,
read from uv.lock, so an upgrade of the lock changes the site and nobody edits it by hand."""

from __future__ import annotations

import tomllib
from pathlib import Path

LOCK = Path(__file__).resolve().parents[1] / "uv.lock"


def versao_do_airflow() -> str:
    pacotes = tomllib.loads(LOCK.read_text(encoding="utf-8"))["package"]
    return next(p["version"] for p in pacotes if p["name"] == "apache-airflow")


def on_config(config):
    config.copyright = (
        f"Módulo 10 — todas as amostras de código são testadas no Apache Airflow {versao_do_airflow()}"
    )
    return config
