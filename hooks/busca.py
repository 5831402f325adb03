"""MkDocs hook: the site's search. Material's search box stays; Pagefind answers it.

Material's own engine (lunr) finds a page only by the words as written: "idempotencia" finds
nothing, "conexao" lands on a page that happens to say "conexões" in passing. Pagefind matches
without accents, stems Portuguese and weighs headings above passing mentions; its index is built
here after every build (also under `mkdocs serve`), into `pagefind/` in the built site. The page's
config points Material at docs/assets/javascripts/busca.js, a search worker that speaks
Material's messages and asks Pagefind.

Material still writes search/search_index.json, which every page fetches when it loads: it is cut
down to its config, plus the glossary's Portuguese and English names of each term, which the
worker uses as synonyms ("agendador" also finds "scheduler").
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from mkdocs.plugins import event_priority

TRABALHADOR = "assets/javascripts/busca.js"
_DE_MATERIAL = re.compile(r'("search": "[^"]*?)assets/javascripts/workers/search\.[0-9a-f]+\.min\.js"')
_ARTIGO = '<article class="md-content__inner md-typeset">'
# "## Scheduler {#scheduler}" ... "*Em português:* agendador." (or "*Em inglês:*" under a Portuguese name)
_ENTRADA = re.compile(r"^## (?P<termo>.+?) \{#[^}]+\}$(?P<texto>.*?)(?=^## |\Z)", re.M | re.S)
_OUTROS_NOMES = re.compile(r"^\*Em (?:português|inglês):\* (?P<nomes>.+?)\.$", re.M)


def sinonimos(glossario: str) -> list[list[str]]:
    """Each glossary entry that gives its other-language names: [term, name, ...]."""
    grupos = []
    for entrada in _ENTRADA.finditer(glossario):
        for linha in _OUTROS_NOMES.finditer(entrada["texto"]):
            grupos.append([entrada["termo"], *(n.strip() for n in linha["nomes"].split(","))])
    return grupos


def on_post_page(output: str, page, config) -> str:
    # Only the chapter text is indexed: not the navigation, the header, the footer. A page whose
    # front matter says `search: {exclude: true}` (Material's own switch) is not indexed at all:
    # the print page (imprimir.md) repeats every other page.
    trocado = _com_o_trabalhador(output, page.file.src_uri)
    if page.meta.get("search", {}).get("exclude"):
        return trocado
    if _ARTIGO not in trocado:
        raise ValueError(f"{page.file.src_uri}: Material's page layout changed; hooks/busca.py needs a look")
    return trocado.replace(_ARTIGO, _ARTIGO.replace("<article ", "<article data-pagefind-body "), 1)


def on_post_template(output: str, template_name: str, config) -> str:
    # The 404 page has the search box too (and is not indexed).
    return _com_o_trabalhador(output, template_name) if template_name == "404.html" else output


@event_priority(-100)  # after Material's search plugin has written its index
def on_post_build(config) -> None:
    site = Path(config.site_dir)
    indice = site / "search" / "search_index.json"
    material = json.loads(indice.read_text(encoding="utf-8"))
    glossario = (Path(config.docs_dir) / "glossario.md").read_text(encoding="utf-8")
    material["config"]["sinonimos"] = sinonimos(glossario)
    indice.write_text(json.dumps({"config": material["config"], "docs": []}, ensure_ascii=False),
                      encoding="utf-8")
    construcao = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site), "--force-language", "pt",
         "--exclude-selectors", ".headerlink", "--exclude-selectors", ".md-source-file", "--quiet"],
        capture_output=True, text=True,
    )
    if construcao.returncode != 0:
        raise RuntimeError(f"pagefind could not index the site:\n{construcao.stdout}{construcao.stderr}")


def _com_o_trabalhador(html: str, nome: str) -> str:
    trocado, n = _DE_MATERIAL.subn(lambda m: f'{m[1]}{TRABALHADOR}"', html)
    if n != 1:
        raise ValueError(f"{nome}: Material's search worker is not where hooks/busca.py expects it")
    return trocado
