"""Every output a page shows is captured from a real run (tests/saidas.py): no output block is typed
by hand, every captured file is shown by a page and written by a test, and `saidas.confere` fails,
regenerates and tolerates what it says it does.

An output block is a fenced block with no language or a language for terminal text (`text`,
`console`, `output`...). It may only include files of docs/_saidas, or, when its title names a file,
include that very file (a sample such as a CSV of snippets/dados, which is input, not output).
Languages of code (bash, python, yaml, json, sql) are what the reader types or writes, not outputs;
the one JSON output the pages show, the health endpoint's, is captured all the same.

The troubleshooting page is the exception, inside its entries only: an entry quotes a message as it
appears among other lines (a docker error, a log line), and its marked test already checks the quote
against a real run with tests/solucao.py; a capture would have to store the whole output of a failure,
most of it unrelated to the entry. Outside an entry, that page follows the rule like any other.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import saidas
import solucao
from conftest import DOCS, INCLUSAO, RAIZ, Inclusao, inclusoes, paginas

PASTA = DOCS / "_saidas"
LINGUAS_DE_SAIDA = {"", "text", "txt", "plain", "console", "output", "shell-session", "log"}
ABERTURA = re.compile(r"^(?P<recuo>\s*)(?P<cerca>`{3,}|~{3,})\s*(?P<lingua>[\w+-]*)(?P<resto>.*)$")
TITULO = re.compile(r'title="(?P<arquivo>[^" ]+)')
TITULO_DE_SECAO = re.compile(r"^(?P<nivel>#{1,6}) .*?(?:\{#(?P<ancora>[a-z0-9-]+)\})?\s*$")



@dataclass(frozen=True)
class Bloco:
    pagina: Path
    linha: int  # of the opening fence
    lingua: str
    titulo: str | None  # the file a `title="..."` names
    corpo: tuple[str, ...]
    entrada: str | None  # the anchor of the `### ... {#anchor}` it sits under, if any

    def __str__(self) -> str:
        primeira = self.corpo[0] if self.corpo else ""
        return f"{self.pagina.relative_to(RAIZ)}:{self.linha}: {primeira}"


def blocos(pagina: Path, texto: str) -> list[Bloco]:
    """The page's fenced blocks, admonitions' and tabs' included (their indentation removed)."""
    achados, entrada, linhas, i = [], None, texto.splitlines(), 0
    while i < len(linhas):
        if secao := TITULO_DE_SECAO.match(linhas[i]):
            entrada = secao["ancora"] if len(secao["nivel"]) == 3 else None
        abertura = ABERTURA.match(linhas[i])
        if not abertura:
            i += 1
            continue
        recuo, cerca = len(abertura["recuo"]), abertura["cerca"]
        fim = next((j for j in range(i + 1, len(linhas))
                    if linhas[j].strip().startswith(cerca) and not linhas[j].strip().strip(cerca[0])),
                   len(linhas))
        titulo = TITULO.search(abertura["resto"])
        achados.append(Bloco(pagina, i + 1, abertura["lingua"].lower(), titulo and titulo["arquivo"],
                             tuple(linha[recuo:] for linha in linhas[i + 1:fim]), entrada))
        i = fim + 1
    return achados


def incluidos(bloco: Bloco) -> list[Path | None] | None:
    """The files the block's body includes (None for one that does not resolve), or None when the
    body is anything but includes."""
    achados = [INCLUSAO.match(linha) for linha in bloco.corpo if linha.strip()]
    if not achados or not all(achados):
        return None
    return [Inclusao(bloco.pagina, bloco.linha, m["arquivo"], m["secao"]).caminho for m in achados]


def escrito_a_mao(bloco: Bloco) -> bool:
    """An output block that shows something other than captured outputs or the sample it names."""
    if bloco.lingua not in LINGUAS_DE_SAIDA:
        return False
    if bloco.pagina == solucao.PAGINA and bloco.entrada:
        return False
    arquivos = incluidos(bloco)
    if arquivos is None or None in arquivos:
        return True
    if bloco.titulo:
        return any(a.resolve() != (RAIZ / bloco.titulo).resolve() for a in arquivos)
    return any(a.resolve().parent != PASTA.resolve() for a in arquivos)


def test_nenhuma_saida_escrita_a_mao():
    novos = [str(b) for pagina in paginas() for b in blocos(pagina, pagina.read_text(encoding="utf-8"))
             if escrito_a_mao(b)]
    assert not novos, ("output blocks typed by hand: capture the output in the test that runs it "
                       "(tests/saidas.py) and include docs/_saidas/<nome>.txt instead:\n" + "\n".join(novos))


def capturas_dos_testes() -> set[str]:
    """The string literals of every test module that calls `saidas.confere`: the names it captures.
    This module's own calls, on a folder of their own, capture nothing the pages show."""
    nomes = set()
    for arquivo in set((RAIZ / "tests").rglob("*.py")) - {Path(__file__).resolve()}:
        arvore = ast.parse(arquivo.read_text(encoding="utf-8"))
        nos = list(ast.walk(arvore))
        if any(isinstance(no, ast.Call) and ast.unparse(no.func) == "saidas.confere" for no in nos):
            nomes |= {no.value for no in nos if isinstance(no, ast.Constant) and isinstance(no.value, str)}
    return nomes


def test_toda_saida_guardada_e_mostrada_e_capturada():
    guardadas = sorted(PASTA.iterdir())
    assert guardadas
    mostradas = {i.caminho.resolve() for i in inclusoes() if i.caminho}
    capturadas = capturas_dos_testes()
    sem_pagina = [a.name for a in guardadas if a.resolve() not in mostradas]
    sem_teste = [a.name for a in guardadas if a.suffix != ".txt" or a.stem not in capturadas]
    assert not sem_pagina, f"captured outputs no page includes (show them, or delete them): {sem_pagina}"
    assert not sem_teste, f"files of docs/_saidas no test writes with saidas.confere: {sem_teste}"


EXEMPLO = """\
## Uma seção

```text
hand-typed
```

```text title="snippets/dados/vendas/2026-11-24.csv"
--8<-- "dados/vendas/2026-11-24.csv"
```

```text title="snippets/dados/vendas/2026-11-25.csv"
--8<-- "dados/vendas/2026-11-24.csv"
```

!!! info "Capturada"
    ```text
    --8<-- "docs/_saidas/orquestracao_relatorio_2026-11-24.txt"
    ```

    ````
    an untagged block, also an output
    ````

```bash
docker compose ps
```

### Uma entrada {#uma-entrada}

```text
a quoted message
```
"""


@pytest.mark.parametrize(("pagina", "esperados"), [
    (DOCS / "exemplo.md", ["hand-typed", '--8<-- "dados/vendas/2026-11-24.csv"',
                           "an untagged block, also an output", "a quoted message"]),
    (solucao.PAGINA, ["hand-typed", '--8<-- "dados/vendas/2026-11-24.csv"',
                      "an untagged block, also an output"]),
], ids=["outra-pagina", "solucao-de-problemas"])
def test_o_que_conta_como_saida_escrita_a_mao(pagina, esperados):
    # Flagged: text typed in, a title naming another file than the one included, any untagged block;
    # on the troubleshooting page, a quote inside an entry is not. Never a block of code.
    assert [b.corpo[0] for b in blocos(pagina, EXEMPLO) if escrito_a_mao(b)] == esperados


@pytest.fixture
def pasta(tmp_path, monkeypatch) -> Path:
    """saidas.confere on a folder of its own, without --regerar-saidas."""
    monkeypatch.setattr(saidas, "PASTA", tmp_path)
    monkeypatch.setattr(saidas, "_regerar", False)
    return tmp_path


def test_confere_aceita_a_mesma_saida_e_recusa_outra_com_o_diff(pasta):
    (pasta / "exemplo.txt").write_text("loja,receita\ncentro,554.00\n")
    saidas.confere("exemplo", "loja,receita\ncentro,554.00")
    diff = r"(?s)--regerar-saidas.*-centro,554\.00\n\+centro,391\.50"
    with pytest.raises(pytest.fail.Exception, match=diff):
        saidas.confere("exemplo", "loja,receita\ncentro,391.50\n")


def test_confere_sem_arquivo_diz_como_cria_lo(pasta):
    como = r"nada\.txt does not exist.*nox -s docs -- --regerar-saidas"
    with pytest.raises(pytest.fail.Exception, match=como):
        saidas.confere("nada", "texto")


def test_confere_regerando_grava_so_o_que_mudou(pasta, monkeypatch):
    monkeypatch.setattr(saidas, "_regerar", True)
    saidas.confere("nova", "primeira\n")
    assert (pasta / "nova.txt").read_text() == "primeira\n"
    saidas.confere("nova", "segunda")
    assert (pasta / "nova.txt").read_text() == "segunda\n"


def test_confere_aceita_qualquer_valor_nas_partes_variaveis(pasta, monkeypatch):
    guardado = '"heartbeat": "2026-11-25T12:00:03.512345+00:00"\n'
    (pasta / "saude.txt").write_text(guardado)
    monkeypatch.setattr(saidas, "_regerar", True)  # a match is not rewritten: the file keeps its run
    saidas.confere("saude", '"heartbeat": "2026-12-01T08:42:20.5+00:00"', variaveis=(saidas.HORARIO,))
    assert (pasta / "saude.txt").read_text() == guardado
    monkeypatch.setattr(saidas, "_regerar", False)
    with pytest.raises(pytest.fail.Exception):
        saidas.confere("saude", '"heartbeat": "ontem"', variaveis=(saidas.HORARIO,))
