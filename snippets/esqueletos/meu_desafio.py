"""Meu desafio do capítulo 5: a semana inteira da PTAX, toda sexta-feira.

Este arquivo fica em `snippets/dags/meu_desafio.py`, ao lado das DAGs do
curso, e o Git não o vê (está no `.gitignore`). Os testes do desafio
conferem esta DAG quando você diz o id dela:
`DESAFIO=meu_desafio pytest snippets/testes/test_desafio.py`.
"""

from __future__ import annotations

from datetime import date, timedelta

import pendulum
from airflow.providers.common.sql.operators.sql import (
    SQLExecuteQueryOperator,
)
from airflow.providers.http.hooks.http import HttpHook
from airflow.sdk import dag, task
from comum import armazem, calendario, ptax


@dag(
    schedule=None,  # troque pela agenda do requisito 1
    start_date=pendulum.datetime(2026, 10, 2, tz=ptax.FUSO),
    tags=["capitulo-5", "ptax", "desafio"],
)
def meu_desafio():
    """As tasks e as dependências dos requisitos 2 a 8 entram aqui."""


meu_desafio()
