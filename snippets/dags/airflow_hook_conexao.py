"""Hook e connection: onde ficam os dados vem da connection, não do código.

A connection `dados_do_curso` é do tipo `fs` (sistema de arquivos) e guarda
a pasta no campo extra `path`. Na stack do curso ela vem da variável de
ambiente `AIRFLOW_CONN_DADOS_DO_CURSO`, definida no `docker/compose.yaml`.
"""

from __future__ import annotations

from pathlib import Path

import pendulum
from airflow.providers.standard.hooks.filesystem import FSHook
from airflow.sdk import dag, task


# --8<-- [start:dag]
@dag(
    schedule=None,
    start_date=pendulum.datetime(2026, 11, 1, tz="America/Sao_Paulo"),
    catchup=False,
    tags=["capitulo-2"],
)
def airflow_hook_conexao():
    @task
    def inventariar() -> dict:
        hook = FSHook(fs_conn_id="dados_do_curso")  # (1)!
        pasta = Path(hook.get_path())
        arquivos = sorted(
            p.relative_to(pasta).as_posix() for p in pasta.rglob("*.csv")
        )
        if not arquivos:
            raise FileNotFoundError(
                f"nenhum CSV em {pasta}: "
                "confira a connection dados_do_curso"
            )
        return {"pasta": str(pasta), "arquivos": arquivos}  # (2)!

    inventariar()
# --8<-- [end:dag]


airflow_hook_conexao()
