"""What mkdocs cannot check about samples: every include resolves to a file and a section,
markers pair up, every sample is shown somewhere, and code is included rather than pasted."""

from __future__ import annotations

import re

import pytest
from conftest import RAIZ, amostras, inclusoes, marcadores, paginas

MAX_LINHAS_INLINE = 8
BLOCO_PYTHON = re.compile(r"^(?P<recuo>\s*)(?P<cerca>`{3,}|~{3,})\s*(?:python|py)\b", re.IGNORECASE)
NOME_DE_SECAO = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def test_ha_paginas_e_amostras():
    assert paginas() and amostras() and inclusoes()


@pytest.mark.parametrize("inclusao", inclusoes(), ids=str)
def test_inclusao_aponta_para_arquivo_e_secao_existentes(inclusao):
    assert inclusao.caminho, f"{inclusao}: no such file under the base paths of mkdocs.yml"
    if inclusao.secao and (linhas := re.fullmatch(r"(\d+):(\d+)", inclusao.secao)):
        # A range of lines, for a data file that cannot hold section markers.
        inicio, fim = int(linhas[1]), int(linhas[2])
        total = len(inclusao.caminho.read_text(encoding="utf-8").splitlines())
        assert 1 <= inicio <= fim <= total, f"{inclusao}: the file has {total} lines"
    elif inclusao.secao:
        assert ("start", inclusao.secao) in marcadores(inclusao.caminho), f"{inclusao}: no such section"


@pytest.mark.parametrize(
    "amostra", [*amostras(), RAIZ / "docker" / "compose.yaml"], ids=lambda p: str(p.relative_to(RAIZ))
)
def test_marcadores_de_secao_formam_pares(amostra):
    abertas: list[str] = []
    vistas: set[str] = set()
    for tipo, nome in marcadores(amostra):
        assert NOME_DE_SECAO.match(nome), f"{amostra}: section name {nome!r} must be an ASCII identifier"
        if tipo == "start":
            assert nome not in vistas, f"{amostra}: section {nome!r} opened twice"
            abertas.append(nome)
            vistas.add(nome)
        else:
            assert nome in abertas, f"{amostra}: [end:{nome}] without a matching [start:{nome}]"
            abertas.remove(nome)
    assert not abertas, f"{amostra}: sections never closed: {abertas}"


def test_toda_amostra_aparece_em_alguma_pagina():
    incluidas = {i.caminho.resolve() for i in inclusoes() if i.caminho}
    orfas = [str(a.relative_to(RAIZ)) for a in amostras() if a.resolve() not in incluidas]
    assert not orfas, f"samples no page includes (show them, or delete them): {orfas}"


@pytest.mark.parametrize("pagina", paginas(), ids=lambda p: str(p.relative_to(RAIZ)))
def test_codigo_python_longo_e_incluido_nao_colado(pagina):
    linhas = pagina.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(linhas):
        abertura = BLOCO_PYTHON.match(linhas[i])
        if not abertura:
            i += 1
            continue
        fim = next(
            (j for j in range(i + 1, len(linhas)) if linhas[j].strip() == abertura["cerca"]),
            len(linhas),
        )
        escritas = [li for li in linhas[i + 1 : fim] if li.strip() and not li.strip().startswith("--8<--")]
        assert len(escritas) <= MAX_LINHAS_INLINE, (
            f"{pagina.relative_to(RAIZ)}:{i + 1}: {len(escritas)} lines of Python written inline; "
            f"put the code in snippets/ and include it"
        )
        i = fim + 1
