"""The troubleshooting page (docs/solucao-de-problemas.md) as every tier's tests read it: its entries,
and the text blocks each entry quotes. A reproducing test checks what really appeared against the
page's own quote, so the page cannot drift from what the tests see.

Each reproducing test names its entry with `@pytest.mark.entrada("anchor")`; the `docs` tier reads
those markers from every tier's test files and fails when an entry has no test.

A quote is what a reader saw once; parts of it change from run to run and from one machine to
another. Those parts match anything of their kind: timestamps, IP addresses, ids, the Python
version in a path, and a `...` the page writes on purpose. What the test's stack names differently
(its project, its ports, a run id) the test passes as `trocas`, the page's text mapped to its own.
"""

from __future__ import annotations

import re
from pathlib import Path

PAGINA = Path(__file__).resolve().parents[1] / "docs" / "solucao-de-problemas.md"
# The parts of a quoted line that vary between runs, in the page's spelling, and what they match.
VARIAVEIS = [
    (r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z", r"\S+"),  # a log line's timestamp
    (r"\b\d{1,3}(?:\.\d{1,3}){3}\b", r"[\d.]+"),  # an IP address
    (r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", r"[0-9a-f-]{36}"),  # a UUID
    (r"\b[0-9a-f]{64}\b", r"[0-9a-f]{64}"),  # a Docker id
    (r"python3\.\d+", r"python3\.\d+"),  # the Python version in a path
    (r'(?<=>", line )\d+', r"\d+"),  # a line of Python's frozen import machinery, which varies by version
    (r"\d+ seconds ago", r".+? ago"),  # the age `docker compose ps` shows
    (r"\.\.\.", r".*?"),  # what the page leaves out on purpose
]


def entradas() -> dict[str, str]:
    """Each entry's text (a `###` heading with an explicit anchor), by anchor."""
    texto = PAGINA.read_text(encoding="utf-8")
    partes = re.split(r"(?m)^(?=#{2,3} )", texto)
    return {m.group(1): parte for parte in partes
            if (m := re.match(r"### .*\{#([a-z0-9-]+)\}\s*$", parte.splitlines()[0]))}


def blocos(ancora: str, lingua: str = "text") -> list[list[str]]:
    """The ```text blocks (or blocks of another `lingua`) an entry quotes, each as its non-empty lines."""
    return [[linha for linha in bloco.splitlines() if linha.strip()]
            for bloco in re.findall(rf"```{lingua}\n(.*?)```", entradas()[ancora], re.S)]


def citacoes(ancora: str) -> list[str]:
    """Every line the entry quotes, from all its ```text blocks."""
    return [linha for bloco in blocos(ancora) for linha in bloco]


def trecho(ancora: str, comeco: str) -> str:
    """The one inline `code` span of the entry that starts with `comeco`: a message the entry quotes
    in its prose, such as what the doctor says."""
    achados = [t for t in re.findall(r"`([^`\n]+)`", entradas()[ancora]) if t.startswith(comeco)]
    if len(set(achados)) != 1:
        raise LookupError(f"{ancora}: {len(set(achados))} inline quotes start with {comeco!r}: {achados}")
    return achados[0]


def padrao(linha: str, trocas: dict[str, str] | None = None,
           variaveis: list[tuple[str, str]] = VARIAVEIS) -> re.Pattern:
    """A quoted line as a pattern: `trocas` applied, the varying parts matching anything of their kind.

    `variaveis` pairs how a varying part is written with what it matches; tests/saidas.py passes its own.
    """
    for da_pagina, do_teste in (trocas or {}).items():
        linha = linha.replace(da_pagina, do_teste)
    juncao = "|".join(f"({p})" for p, _ in variaveis)
    pedacos, inicio = [], 0
    for achado in re.finditer(juncao, linha):
        pedacos += [re.escape(linha[inicio:achado.start()]), variaveis[achado.lastindex - 1][1]]
        inicio = achado.end()
    return re.compile("".join([*pedacos, re.escape(linha[inicio:])]))


def faltam(linhas: list[str], saida: str, trocas: dict[str, str] | None = None) -> list[str]:
    """The quoted lines that do not appear in `saida`."""
    return [linha for linha in linhas if not padrao(linha, trocas).search(saida)]


def confere(linhas: list[str], saida: str, trocas: dict[str, str] | None = None) -> None:
    """Fail unless every quoted line appears in `saida`, naming the lines that do not."""
    if ausentes := faltam(linhas, saida, trocas):
        raise AssertionError(f"quoted on the page, missing from the output: {ausentes}\n"
                             f"--- the output's end:\n{saida[-3000:]}")
