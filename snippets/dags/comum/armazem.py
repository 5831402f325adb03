"""O armazém de dados do capítulo 5 visto pelas tasks: o banco da
conexão `armazem` do Airflow.

Separado de ptax.py, que não importa o Airflow. Use só dentro de tasks
e callbacks: buscar a conexão ao ler o arquivo de DAG custaria uma
consulta a cada análise do DAG processor.
"""

from __future__ import annotations

from airflow.sdk import BaseHook, BaseNotifier
from comum import ptax
from sqlalchemy import inspect, text


def motor():
    """O motor SQLAlchemy da conexão `armazem`, seja ela Postgres (a
    stack) ou SQLite (os testes)."""
    return BaseHook.get_hook("armazem").get_sqlalchemy_engine()


# --8<-- [start:alerta]
class AlertaNoArmazem(BaseNotifier):
    """Grava cada falha de task na tabela alerta_pipeline do armazém.

    É um notifier como os que os providers trazem (Slack, e-mail,
    Microsoft Teams): trocar esta classe por um deles muda o destino do
    alerta, não a DAG.
    """

    def notify(self, context) -> None:
        ti = context["ti"]
        # A exceção só vem quando o callback roda no processo da task.
        excecao = context.get("exception")
        erro = sem_excecao(ti) if excecao is None else str(excecao)[:1000]
        map_index = getattr(ti, "map_index", None)
        alerta = {
            "dag_id": ti.dag_id,
            "run_id": ti.run_id,
            "task_id": ti.task_id,
            # -1: task que não é mapeada
            "map_index": -1 if map_index is None else map_index,
            "tentativa": ti.try_number,
            "erro": erro,
        }
        with motor().begin() as conexao:
            if conexao.dialect.name == "postgresql":
                # Um alerta por vez: dois callbacks ao mesmo tempo (dias
                # do desafio que falham juntos) criando a tabela ou o
                # índice travariam um ao outro.
                conexao.execute(text(
                    "SELECT pg_advisory_xact_lock("
                    "hashtext('alerta_pipeline'))"
                ))
            conexao.execute(text(CRIAR_ALERTAS))
            da_versao_anterior(conexao)
            conexao.execute(text(UM_POR_TENTATIVA))
            gravou = conexao.execute(text(INSERIR_ALERTA), alerta).rowcount
        if gravou:
            self.log.warning("alerta registrado: %s", alerta)
        else:  # o callback pode rodar mais de uma vez para a mesma falha
            self.log.info(
                "alerta desta tentativa já estava registrado: %s", alerta
            )


def sem_excecao(ti) -> str:
    """O erro do alerta quando o contexto não traz a exceção: a falha não
    passou pelo código da task."""
    hostname = getattr(ti, "hostname", None)
    onde = f", que rodava em {hostname}" if hostname else ""
    return (
        f"sem exceção: quem deu a tentativa {ti.try_number} como falha "
        f"foi o scheduler, não o código da task{onde} (worker perdido ou "
        "morto, task presa na fila); este alerta rodou no DAG processor. "
        "Veja o log da tentativa e o do scheduler."
    )
# --8<-- [end:alerta]


CRIAR_ALERTAS = """
CREATE TABLE IF NOT EXISTS alerta_pipeline (
    dag_id TEXT NOT NULL,
    run_id TEXT NOT NULL,
    task_id TEXT NOT NULL,
    map_index INTEGER NOT NULL DEFAULT -1,
    tentativa INTEGER NOT NULL,
    erro TEXT NOT NULL,
    registrado_em TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP
)
"""

# Na `alerta_pipeline` de uma versão anterior do curso, `registrado_em`
# estava no fuso da sessão.
FUSOS_ANTIGOS = {"registrado_em": "current_setting('TimeZone')"}


def da_versao_anterior(conexao) -> None:
    """Atualiza a `alerta_pipeline` de uma versão anterior do curso:
    `registrado_em` com fuso e a coluna `map_index` (sem ela, dois dias
    de uma task mapeada que falhassem na mesma tentativa dariam um
    alerta só). O índice único antigo, sem `map_index`, sai."""
    ptax.horarios_com_fuso(conexao, "alerta_pipeline", FUSOS_ANTIGOS)
    colunas = inspect(conexao).get_columns("alerta_pipeline")
    if "map_index" not in {coluna["name"] for coluna in colunas}:
        conexao.execute(text(
            "ALTER TABLE alerta_pipeline"
            " ADD COLUMN map_index INTEGER NOT NULL DEFAULT -1"
        ))
    conexao.execute(text(
        "DROP INDEX IF EXISTS alerta_pipeline_uma_por_tentativa"
    ))


# Separado da criação da tabela para valer também na tabela de uma
# versão anterior do curso.
UM_POR_TENTATIVA = """
CREATE UNIQUE INDEX IF NOT EXISTS
    alerta_pipeline_uma_por_instancia_e_tentativa
ON alerta_pipeline (dag_id, run_id, task_id, map_index, tentativa)
"""

INSERIR_ALERTA = """
INSERT INTO alerta_pipeline
    (dag_id, run_id, task_id, map_index, tentativa, erro)
VALUES (:dag_id, :run_id, :task_id, :map_index, :tentativa, :erro)
ON CONFLICT (dag_id, run_id, task_id, map_index, tentativa) DO NOTHING
"""
