"""Os dias úteis da PTAX, sem nada do Airflow.

O Banco Central só apura a PTAX nos dias em que o mercado financeiro
funciona: nem nos fins de semana, nem nos feriados nacionais, nem na
segunda e na terça de Carnaval e em Corpus Christi (ponto facultativo
para o governo federal), nem na Sexta-feira da Paixão: em todos eles o
mercado fecha. É a lista de feriados que a ANBIMA publica, copiada em
`feriados.csv`, ao lado deste arquivo.

Dado, e não regra calculada: feriados mudam por lei (o 20 de novembro é
feriado nacional desde 2024), e a fonte oficial é uma lista. Passado o
último ano do arquivo, o calendário se recusa a responder, em vez de
tratar como útil um dia que ele não conhece.
"""

from __future__ import annotations

import csv
from datetime import date
from functools import cache
from pathlib import Path

ARQUIVO = Path(__file__).with_name("feriados.csv")


class CalendarioDesatualizado(LookupError):
    """O dia está fora dos anos que `feriados.csv` cobre."""


@cache
def feriados() -> dict[date, str]:
    """Cada feriado do arquivo, com o nome."""
    with ARQUIVO.open(encoding="utf-8", newline="") as arquivo:
        return {
            date.fromisoformat(linha["data"]): linha["feriado"]
            for linha in csv.DictReader(arquivo)
        }


# --8<-- [start:sem_ptax]
def sem_ptax(dia: str) -> str | None:
    """Por que `dia` (AAAA-MM-DD) não tem PTAX, ou `None` num dia útil,
    em que ela tem de sair."""
    data = date.fromisoformat(dia)
    anos = {feriado.year for feriado in feriados()}
    if data.year not in anos:
        raise CalendarioDesatualizado(
            f"{dia} está fora do calendário de feriados "
            f"({min(anos)} a {max(anos)}); "
            f"acrescente o ano a {ARQUIVO.name}"
        )
    if data.weekday() >= 5:
        return "fim de semana"
    if data in feriados():
        return f"feriado: {feriados()[data]}"
    return None
# --8<-- [end:sem_ptax]
