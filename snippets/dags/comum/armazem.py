"""O armazém de dados do capítulo 5 visto pelas tasks: o banco da conexão `armazem` do Airflow.

Separado de ptax.py, que não importa o Airflow. Use só dentro de tasks e callbacks: buscar a
conexão ao ler o arquivo de DAG custaria uma consulta a cada análise do DAG processor.
"""

from __future__ import annotations

from airflow.sdk import BaseHook, BaseNotifier
from sqlalchemy import text


def motor():
    """O motor SQLAlchemy da conexão `armazem`, seja ela Postgres (a stack) ou SQLite (os testes)."""
    return BaseHook.get_hook("armazem").get_sqlalchemy_engine()


# --8<-- [start:alerta]
class AlertaNoArmazem(BaseNotifier):
    """Grava cada falha de task na tabela alerta_pipeline do armazém.

    É um notifier como os que os providers trazem (Slack, e-mail, Microsoft Teams): trocar esta
    classe por um deles muda o destino do alerta, não a DAG.
    """

    def notify(self, context) -> None:
        ti = context["ti"]
        alerta = {
            "dag_id": ti.dag_id,
            "run_id": ti.run_id,
            "task_id": ti.task_id,
            "tentativa": ti.try_number,
            "erro": str(context.get("exception"))[:1000],
        }
        with motor().begin() as conexao:
            conexao.execute(text(CRIAR_ALERTAS))
            conexao.execute(text(INSERIR_ALERTA), alerta)
        self.log.warning("alerta registrado: %s", alerta)
# --8<-- [end:alerta]


CRIAR_ALERTAS = """
CREATE TABLE IF NOT EXISTS alerta_pipeline (
    dag_id TEXT NOT NULL,
    run_id TEXT NOT NULL,
    task_id TEXT NOT NULL,
    tentativa INTEGER NOT NULL,
    erro TEXT NOT NULL,
    registrado_em TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
)
"""

INSERIR_ALERTA = """
INSERT INTO alerta_pipeline (dag_id, run_id, task_id, tentativa, erro)
VALUES (:dag_id, :run_id, :task_id, :tentativa, :erro)
"""
