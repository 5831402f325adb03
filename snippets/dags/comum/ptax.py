"""Regras do pipeline da PTAX (capítulo 5), sem nada do Airflow.

A API de dados abertos do Banco Central publica, a cada dia útil, a PTAX
do dólar: as taxas de compra e de venda do boletim de fechamento, por
volta das 13h10 de Brasília. Aqui ficam o endereço da consulta, a
validação da resposta, a transformação em linha do armazém e o SQL; os
arquivos de DAG só orquestram, e estas funções se testam sem scheduler.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import pendulum
from sqlalchemy import text

FUSO = "America/Sao_Paulo"
RECURSO = (
    "olinda/servico/PTAX/versao/v1/odata/"
    "CotacaoDolarDia(dataCotacao=@dataCotacao)"
)
CAMPOS = ("cotacaoCompra", "cotacaoVenda", "dataHoraCotacao")


class CotacaoInvalida(ValueError):
    """A API respondeu algo que não serve: tentar de novo não adianta."""


def dia_local(instante) -> str:
    """O dia de `instante` em Brasília, como AAAA-MM-DD.

    `pendulum.instance` porque, no worker, a task recebe as datas da
    execução como `datetime` comum.
    """
    return pendulum.instance(instante).in_timezone(FUSO).to_date_string()


# --8<-- [start:endpoint]
def endpoint_do_dia(dia: str) -> str:
    """O caminho da consulta de um dia; a API quer a data como
    'MM-DD-AAAA', entre aspas simples."""
    data = f"{date.fromisoformat(dia):%m-%d-%Y}"
    return f"{RECURSO}?@dataCotacao='{data}'&$format=json"
# --8<-- [end:endpoint]


# --8<-- [start:validar]
def validar_resposta(texto: str, dia: str) -> dict | None:
    """A cotação de fechamento do dia, ou `None` num dia sem cotação
    (fim de semana ou feriado).

    Qualquer outra coisa levanta `CotacaoInvalida` dizendo o que veio
    errado.
    """
    try:
        corpo = json.loads(texto)
    except json.JSONDecodeError:
        raise CotacaoInvalida(
            f"a resposta para {dia} não é JSON; começa com {texto[:40]!r}"
        ) from None
    if (
        not isinstance(corpo, dict)
        or not isinstance(corpo.get("value"), list)
    ):
        raise CotacaoInvalida(
            f"a resposta para {dia} não traz a lista 'value'"
        )
    if not corpo["value"]:
        return None

    problemas = [
        p for item in corpo["value"] for p in _problemas_do_item(item, dia)
    ]
    if problemas:
        raise CotacaoInvalida(
            f"cotação de {dia} recusada: " + "; ".join(problemas)
        )
    # Com mais de um boletim no dia, vale o último.
    fechamento = max(
        corpo["value"],
        key=lambda item: em_brasilia(item["dataHoraCotacao"]),
    )
    return {
        "dia": dia,
        "compra": fechamento["cotacaoCompra"],
        "venda": fechamento["cotacaoVenda"],
        "publicada_em": fechamento["dataHoraCotacao"],
    }
# --8<-- [end:validar]


def _problemas_do_item(item, dia: str) -> list[str]:
    if (
        not isinstance(item, dict)
        or any(campo not in item for campo in CAMPOS)
    ):
        return [f"item sem os campos {', '.join(CAMPOS)}: {item!r}"]
    problemas = []
    for campo in ("cotacaoCompra", "cotacaoVenda"):
        valor = item[campo]
        numero = (
            isinstance(valor, int | float) and not isinstance(valor, bool)
        )
        if not numero or not math.isfinite(valor) or valor <= 0:
            problemas.append(
                f"{campo} não é um número positivo: {valor!r}"
            )
    if not problemas and item["cotacaoCompra"] > item["cotacaoVenda"]:
        problemas.append(
            f"compra {item['cotacaoCompra']} maior que venda "
            f"{item['cotacaoVenda']}"
        )
    try:
        publicada = em_brasilia(item["dataHoraCotacao"])
    except (TypeError, ValueError):
        return [
            *problemas,
            f"dataHoraCotacao ilegível: {item['dataHoraCotacao']!r}",
        ]
    if publicada.date().isoformat() != dia:
        problemas.append(
            f"dataHoraCotacao {item['dataHoraCotacao']} não é do dia {dia}"
        )
    return problemas


def em_brasilia(texto: str) -> datetime:
    """O instante de um `dataHoraCotacao`, que a API escreve na hora de
    Brasília, sem o fuso."""
    instante = datetime.fromisoformat(texto)
    if instante.tzinfo is None:
        return instante.replace(tzinfo=ZoneInfo(FUSO))
    return instante.astimezone(ZoneInfo(FUSO))


def quatro_casas(valor) -> Decimal:
    """Arredonda como o `NUMERIC(10, 4)` do Postgres: em decimal, a
    metade para cima."""
    return Decimal(str(valor)).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_UP
    )


# --8<-- [start:transformar]
def transformar(cotacao: dict) -> dict:
    """A linha da tabela `cotacao_dolar`, com média e spread calculados.

    As taxas vão com 4 casas decimais.
    """
    compra = quatro_casas(cotacao["compra"])
    venda = quatro_casas(cotacao["venda"])
    return {
        "data_cotacao": cotacao["dia"],
        "compra": float(compra),
        "venda": float(venda),
        "media": float(quatro_casas((compra + venda) / 2)),
        "spread": float(venda - compra),
        # com o fuso: -03:00
        "publicada_em": em_brasilia(cotacao["publicada_em"]).isoformat(),
    }
# --8<-- [end:transformar]


# --8<-- [start:variacao]
def conferir_variacao(
    linha: dict, anterior: dict | None, limite: float
) -> float | None:
    """A variação da venda sobre a cotação anterior.

    Acima do limite, levanta `CotacaoInvalida`.
    """
    if anterior is None:
        return None  # primeira carga: não há com o que comparar
    variacao = linha["venda"] / float(anterior["venda"]) - 1
    if abs(variacao) > limite:
        raise CotacaoInvalida(
            f"venda de {linha['venda']:.4f} em {linha['data_cotacao']} "
            f"varia {variacao:+.1%} sobre {float(anterior['venda']):.4f} "
            f"de {anterior['data_cotacao']}; o limite é {limite:.0%}"
        )
    return round(variacao, 6)
# --8<-- [end:variacao]


# --8<-- [start:sql]
CRIAR_TABELA = """
CREATE TABLE IF NOT EXISTS cotacao_dolar (
    data_cotacao DATE PRIMARY KEY,
    compra NUMERIC(10, 4) NOT NULL,
    venda NUMERIC(10, 4) NOT NULL,
    media NUMERIC(10, 4) NOT NULL,
    spread NUMERIC(10, 4) NOT NULL,
    publicada_em TIMESTAMPTZ NOT NULL,
    carregada_em TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP
)
"""

# Recarregar um dia substitui a linha: reprocessar nunca duplica.
UPSERT = """
INSERT INTO cotacao_dolar
    (data_cotacao, compra, venda, media, spread, publicada_em)
VALUES (:data_cotacao, :compra, :venda, :media, :spread, :publicada_em)
ON CONFLICT (data_cotacao) DO UPDATE SET
    compra = excluded.compra, venda = excluded.venda,
    media = excluded.media, spread = excluded.spread,
    publicada_em = excluded.publicada_em,
    carregada_em = CURRENT_TIMESTAMP
"""
# --8<-- [end:sql]

ULTIMAS = """
SELECT data_cotacao, compra, venda FROM cotacao_dolar
WHERE data_cotacao <= :dia ORDER BY data_cotacao DESC LIMIT :quantas
"""

ANTERIOR = """
SELECT data_cotacao, venda FROM cotacao_dolar
WHERE data_cotacao < :dia ORDER BY data_cotacao DESC LIMIT 1
"""


# --8<-- [start:fuso]
# Como ler os horários de uma `cotacao_dolar` criada por uma versão
# anterior do curso, em `TIMESTAMP` sem fuso: `publicada_em` tinha a hora
# de Brasília; `carregada_em`, a do fuso da sessão do Postgres.
FUSOS_ANTIGOS = {
    "publicada_em": f"'{FUSO}'",
    "carregada_em": "current_setting('TimeZone')",
}

SEM_FUSO = """
SELECT column_name FROM information_schema.columns
WHERE table_schema = current_schema() AND table_name = :tabela
  AND data_type = 'timestamp without time zone'
"""


def horarios_com_fuso(conexao, tabela: str, fusos: dict[str, str]) -> None:
    """Converte para `TIMESTAMPTZ` as colunas de `tabela` que ainda estão
    sem fuso; as já convertidas ficam como estão. Só no Postgres: o SQLite
    não tem tipo de coluna a mudar."""
    if conexao.dialect.name != "postgresql":
        return

    def sem_fuso() -> list[str]:
        resultado = conexao.execute(text(SEM_FUSO), {"tabela": tabela})
        return [nome for nome in resultado.scalars() if nome in fusos]

    if not sem_fuso():
        # O caso de toda carga depois da primeira: uma consulta ao
        # catálogo, nada mais.
        return
    # Outra carga pode estar convertendo agora: com a tabela travada,
    # pergunta-se de novo.
    conexao.execute(text(f"LOCK TABLE {tabela} IN ACCESS EXCLUSIVE MODE"))
    for coluna in sem_fuso():
        conexao.execute(text(
            f"ALTER TABLE {tabela} ALTER COLUMN {coluna} TYPE TIMESTAMPTZ"
            f" USING {coluna} AT TIME ZONE {fusos[coluna]}"
        ))
# --8<-- [end:fuso]


def carregar(conexao, linha: dict) -> None:
    """Grava a linha do dia.

    `conexao` é uma conexão SQLAlchemy, dentro de uma transação.
    """
    horarios_com_fuso(conexao, "cotacao_dolar", FUSOS_ANTIGOS)
    conexao.execute(text(UPSERT), linha)


def cotacao_anterior(conexao, dia: str) -> dict | None:
    """A última cotação carregada antes de `dia`, se houver."""
    resultado = conexao.execute(text(ANTERIOR), {"dia": dia})
    linha = resultado.mappings().first()
    if linha is None:
        return None
    return {
        "data_cotacao": str(linha["data_cotacao"]),
        "venda": linha["venda"],
    }


# --8<-- [start:relatorio]
def relatorio(conexao, dia: str, quantas: int = 5) -> str:
    """As últimas `quantas` cotações até `dia`, da mais recente para a
    mais antiga, em texto."""
    parametros = {"dia": dia, "quantas": quantas}
    linhas = conexao.execute(text(ULTIMAS), parametros).all()
    cabecalho = (
        f"PTAX do dólar, {len(linhas)} dia(s) até {dia}\n"
        "data        compra  venda"
    )
    corpo = [
        f"{data_cotacao!s:<10}  {float(compra):.4f}  {float(venda):.4f}"
        for data_cotacao, compra, venda in linhas
    ]
    return "\n".join([cabecalho, *corpo])
# --8<-- [end:relatorio]
