"""What several tests of the `site` tier share: the list of the site's pages, the accessibility
check (axe) they run on a page, and a walk through a page's DOM that sees into shadow roots."""

from __future__ import annotations

from pathlib import Path

RAIZ = Path(__file__).resolve().parents[2]
IMPACTOS_GRAVES = {"serious", "critical"}
# The whole course on one page (hooks/impressao.py): its own tests, test_impressao.py, check it; the
# pages it gathers are checked one by one everywhere else.
PAGINA_DE_IMPRESSAO = "/imprimir/"


def caminhos_das_paginas() -> list[str]:
    """Every page of the site as a URL path ("/", "/02-airflow/conceitos/", ...), from docs/, but
    the print page."""
    docs = RAIZ / "docs"
    caminhos = []
    for fonte in [*docs.rglob("*.md"), *docs.rglob("*.ipynb")]:
        relativo = fonte.relative_to(docs).with_suffix("")
        if "_includes" in relativo.parts:
            continue
        pasta = relativo.parent if relativo.name == "index" else relativo
        caminhos.append("/" if pasta == Path(".") else f"/{pasta.as_posix()}/")
    return sorted(c for c in caminhos if c != PAGINA_DE_IMPRESSAO)


def violacoes(pagina, contexto: dict | None = None) -> list[dict]:
    """axe's violations on the page as it is now (in `contexto`, axe's include/exclude, if given)."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(pagina, context=contexto).response["violations"]


def graves(lista: list[dict]) -> list[str]:
    """The serious and critical ones, described."""
    return [f"{v['id']} ({v['impact']}): {v['help']}" for v in lista if v["impact"] in IMPACTOS_GRAVES]


def nos(no: dict):
    """A DOM tree from the DevTools protocol, walked into shadow roots (closed ones too)."""
    yield no
    for filho in [*no.get("children", []), *no.get("shadowRoots", [])]:
        yield from nos(filho)


def diagramas_desenhados(pagina) -> list[dict]:
    """The page's Mermaid diagrams that the theme has drawn: Material draws each one inside a closed
    shadow root of a div.mermaid, which only the DevTools protocol sees into."""
    cdp = pagina.context.new_cdp_session(pagina)
    arvore = cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]
    return [n for n in nos(arvore) if n.get("localName") == "div" and "mermaid" in n.get("attributes", [])
            and any(filho.get("localName") == "svg" for filho in nos(n))]
