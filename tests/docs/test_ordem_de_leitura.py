"""The course read in the navigation's order: nothing is used before the page that introduces it.

A page *introduces* a DAG by including its file, and anything else with a marker that the site does
not show, `<!-- introduz: stack -->`; a page may also introduce a DAG it only runs, with
`<!-- introduz: dag:<dag_id> -->`, when it says what the DAG does. A page *uses* the stack when it
gives a `docker compose` command, an address of the stack or asks for it running; the `airflow`
command line when it shows an `airflow` command; a DAG when it names the DAG's id. A use before the
introduction is a forward reference, allowed only with a link to the introducing page. And every
chapter page that uses the stack links to the page that puts it up.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

from conftest import CONFIG, DOCS, INCLUSAO
from stack.expectativas import dags_da_pasta

MARCA = re.compile(r"<!--\s*introduz:\s*(?P<assunto>[\w:.-]+)\s*-->")
LINK = re.compile(r"\]\((?P<alvo>[^)#\s]+)(?:#[^)]*)?\)")
USOS = {
    "stack": re.compile(
        r"docker compose (?:--profile \w+ )?(?:up|exec|ps|logs|stop|start|restart|kill|down|run)\b"
        r"|(?:127\.0\.0\.1|localhost):(?:8080|5555)|stack (?:do curso )?no ar|\b[Dd]ispare\b"
    ),
    "cli": re.compile(r"`airflow (?:dags|tasks|backfill|jobs|config|db|connections|variables|pools|celery)\b"
                      r"|^\s*(?:docker compose exec \S+ )?airflow (?:dags|tasks|backfill|jobs|config|db)\b",
                      re.MULTILINE),
}
CAPITULOS = re.compile(r"^0\d-")  # the chapters' folders; home, setup and reference pages are not chapters


def na_ordem() -> list[str]:
    """The pages as the navigation lists them, paths relative to docs/."""
    def achatar(itens) -> list[str]:
        paginas = []
        for item in itens:
            valor = next(iter(item.values())) if isinstance(item, dict) else item
            paginas += achatar(valor) if isinstance(valor, list) else [valor]
        return paginas

    return achatar(CONFIG["nav"])


def texto(pagina: str) -> str:
    """What the reader reads: a page's Markdown, or a notebook's Markdown and code cells."""
    caminho = DOCS / pagina
    if caminho.suffix == ".ipynb":
        celulas = json.loads(caminho.read_text(encoding="utf-8"))["cells"]
        return "\n".join("".join(c["source"]) for c in celulas)
    return caminho.read_text(encoding="utf-8")


def apresentados(pagina: str) -> set[str]:
    conteudo = texto(pagina)
    dags = {f"dag:{Path(m['arquivo']).stem}" for linha in conteudo.splitlines()
            if (m := INCLUSAO.match(linha)) and m["arquivo"].startswith("dags/")}
    return dags | {m["assunto"] for m in MARCA.finditer(conteudo)}


def usados(pagina: str, dag_ids: set[str]) -> set[str]:
    conteudo = MARCA.sub("", texto(pagina))
    assuntos = {assunto for assunto, padrao in USOS.items() if padrao.search(conteudo)}
    return assuntos | {f"dag:{d}" for d in dag_ids if f"`{d}`" in conteudo}


def ligadas(pagina: str) -> set[str]:
    """The pages this page links to, relative to docs/. A notebook's links are not rewritten by the
    build, so they are the site's own addresses, relative to the notebook's address."""
    notebook = pagina.endswith(".ipynb")
    base = pagina.removesuffix(".ipynb") if notebook else posixpath.dirname(pagina)
    destinos = set()
    for m in LINK.finditer(texto(pagina)):
        if m["alvo"].startswith(("http://", "https://")):
            continue
        destino = posixpath.normpath(posixpath.join(base, m["alvo"]))
        destinos.add(f"{destino}.md" if notebook else destino)
    return destinos


def onde_cada_assunto_e_apresentado() -> dict[str, str]:
    primeiro: dict[str, str] = {}
    for pagina in na_ordem():
        for assunto in apresentados(pagina):
            primeiro.setdefault(assunto, pagina)
    return primeiro


def test_nada_e_usado_antes_da_pagina_que_o_apresenta():
    dag_ids = dags_da_pasta()
    onde = onde_cada_assunto_e_apresentado()
    ordem = na_ordem()
    problemas = []
    for posicao, pagina in enumerate(ordem):
        for assunto in sorted(usados(pagina, dag_ids)):
            if assunto not in onde:
                problemas.append(f"{pagina} uses {assunto}, which no page introduces")
            elif ordem.index(onde[assunto]) > posicao and onde[assunto] not in ligadas(pagina):
                problemas.append(f"{pagina} uses {assunto} before {onde[assunto]} introduces it, "
                                 "without linking there")
    assert not problemas, "\n".join(problemas)


def test_todo_capitulo_que_usa_a_stack_aponta_a_pagina_que_a_sobe():
    dag_ids = dags_da_pasta()
    sobe = onde_cada_assunto_e_apresentado()["stack"]
    sem_link = [pagina for pagina in na_ordem() if CAPITULOS.match(pagina)
                and "stack" in usados(pagina, dag_ids) and sobe not in ligadas(pagina)]
    assert not sem_link, f"these chapter pages use the stack without linking to {sobe}: {sem_link}"


def test_a_stack_e_a_linha_de_comando_sao_apresentadas_antes_do_capitulo_1():
    ordem = na_ordem()
    onde = onde_cada_assunto_e_apresentado()
    primeiro_capitulo = next(i for i, pagina in enumerate(ordem) if CAPITULOS.match(pagina))
    assert ordem.index(onde["stack"]) < primeiro_capitulo
    assert ordem.index(onde["cli"]) < primeiro_capitulo
