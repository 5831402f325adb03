"""What several tests of the `site` tier share: the list of the site's pages and the accessibility
check (axe) they run on a page."""

from __future__ import annotations

from pathlib import Path

RAIZ = Path(__file__).resolve().parents[2]
IMPACTOS_GRAVES = {"serious", "critical"}


def caminhos_das_paginas() -> list[str]:
    """Every page of the site as a URL path ("/", "/02-airflow/conceitos/", ...), from docs/."""
    docs = RAIZ / "docs"
    caminhos = []
    for fonte in [*docs.rglob("*.md"), *docs.rglob("*.ipynb")]:
        relativo = fonte.relative_to(docs).with_suffix("")
        if "_includes" in relativo.parts:
            continue
        pasta = relativo.parent if relativo.name == "index" else relativo
        caminhos.append("/" if pasta == Path(".") else f"/{pasta.as_posix()}/")
    return sorted(caminhos)


def violacoes(pagina) -> list[dict]:
    """axe's violations on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(pagina).response["violations"]


def graves(lista: list[dict]) -> list[str]:
    """The serious and critical ones, described."""
    return [f"{v['id']} ({v['impact']}): {v['help']}" for v in lista if v["impact"] in IMPACTOS_GRAVES]
