"""Regras do relatório de vendas, em Python puro.

Nada aqui importa o Airflow: as regras podem ser testadas e reaproveitadas
sem um scheduler, e os arquivos de DAG ficam só com a orquestração.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pendulum

COLUNAS = ["data", "loja", "produto", "quantidade", "preco_unitario"]


def dia_anterior(instante, fuso: str) -> str:
    """O dia anterior a `instante` no fuso dado, como AAAA-MM-DD.

    `pendulum.instance` porque, no worker, a task recebe
    `dag_run.run_after` como `datetime` comum.
    """
    no_fuso = pendulum.instance(instante).in_timezone(fuso)
    return no_fuso.subtract(days=1).to_date_string()


class LoteInvalido(ValueError):
    """O arquivo chegou, mas não serve: tentar de novo não adianta."""


# --8<-- [start:ler]
def ler_csv(caminho: Path) -> list[list[str]]:
    """Lê o arquivo inteiro, cabeçalho incluído.

    Sem o arquivo, levanta FileNotFoundError.
    """
    with caminho.open(newline="", encoding="utf-8") as arquivo:
        return list(csv.reader(arquivo))
# --8<-- [end:ler]


# --8<-- [start:validar]
def validar_linhas(linhas: list[list[str]], dia: str) -> list[dict]:
    """Confere cada linha e devolve os registros tipados, ou levanta
    LoteInvalido com todos os erros."""
    if not linhas or linhas[0] != COLUNAS:
        cabecalho = linhas[0] if linhas else "arquivo vazio"
        raise LoteInvalido(
            f"cabeçalho inesperado: {cabecalho}; esperado: {COLUNAS}"
        )

    registros, erros = [], []
    # A linha 1 é o cabeçalho.
    for numero, linha in enumerate(linhas[1:], start=2):
        problemas = _problemas_da_linha(linha, dia)
        erros += [f"linha {numero}: {problema}" for problema in problemas]
        if not problemas:
            _, loja, produto, quantidade, preco = (
                campo.strip() for campo in linha
            )
            registros.append({
                "loja": loja,
                "produto": produto,
                "quantidade": int(quantidade),
                "preco_centavos": _centavos(preco),
            })

    if erros:
        raise LoteInvalido(
            f"{len(erros)} problema(s) no lote de {dia}: "
            + "; ".join(erros)
        )
    if not registros:
        raise LoteInvalido(f"o lote de {dia} não tem nenhuma venda")
    return registros
# --8<-- [end:validar]


def _centavos(preco: str) -> int | None:
    try:
        centavos = Decimal(preco) * 100
    except InvalidOperation:
        return None
    if centavos.is_finite() and centavos == int(centavos):
        return int(centavos)
    return None


def _problemas_da_linha(linha: list[str], dia: str) -> list[str]:
    if len(linha) != len(COLUNAS):
        return [f"{len(linha)} campos, esperados {len(COLUNAS)}"]
    data, loja, _, quantidade, preco = (campo.strip() for campo in linha)
    problemas = []
    if data != dia:
        problemas.append(f"data {data!r} não é do dia {dia}")
    if not loja:
        problemas.append("loja vazia")
    if not quantidade.isdigit():
        problemas.append(
            f"quantidade {quantidade!r} não é um inteiro >= 0"
        )
    centavos = _centavos(preco)
    if centavos is None or centavos <= 0:
        problemas.append(
            f"preço {preco!r} não é um valor positivo"
            " com até 2 casas decimais"
        )
    return problemas


def receita_por_loja(registros: list[dict]) -> dict[str, int]:
    """Soma quantidade x preço por loja, em centavos (inteiros não perdem
    centavos no caminho)."""
    receita: dict[str, int] = defaultdict(int)
    for registro in registros:
        subtotal = registro["quantidade"] * registro["preco_centavos"]
        receita[registro["loja"]] += subtotal
    return dict(sorted(receita.items()))


def _reais(centavos: int) -> str:
    sinal = "-" if centavos < 0 else ""
    return f"{sinal}{abs(centavos) // 100}.{abs(centavos) % 100:02d}"


# --8<-- [start:gravar]
def gravar_relatorio(receita: dict[str, int], destino: Path) -> Path:
    """Grava o relatório de forma atômica: um arquivo temporário ao lado
    e um rename no fim.

    Se algo falhar no meio, o destino continua como estava (ausente ou
    com a versão anterior); se o mesmo dia for reprocessado, o relatório
    é substituído, nunca duplicado.
    """
    destino.parent.mkdir(parents=True, exist_ok=True)
    descritor, temporario = tempfile.mkstemp(
        dir=destino.parent, prefix=f".{destino.name}."
    )
    try:
        with os.fdopen(
            descritor, "w", newline="", encoding="utf-8"
        ) as arquivo:
            escritor = csv.writer(arquivo, lineterminator="\n")
            escritor.writerow(["loja", "receita"])
            # Ordena aqui: a ordem das chaves não sobrevive ao XCom
            # guardado no Postgres (JSONB).
            for loja, centavos in sorted(receita.items()):
                escritor.writerow([loja, _reais(centavos)])
        # O mkstemp cria com 0600; o relatório é para ser lido.
        os.chmod(temporario, 0o644)
        os.replace(temporario, destino)
    except BaseException:
        os.unlink(temporario)
        raise
    return destino
# --8<-- [end:gravar]
