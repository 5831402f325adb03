"""Os conceitos centrais do Airflow numa DAG só.

Tasks TaskFlow trocam valores pelo XCom, um operator clássico
(BashOperator) recebe um desses valores por template Jinja, os Params
validam a entrada de cada execução e uma Variable fornece a moeda do
resumo, com um padrão quando ela não existe.
"""

from __future__ import annotations

import pendulum
from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import Param, Variable, dag, task

# Pedidos de ontem por loja, fixos: o resultado é sempre o mesmo.
PEDIDOS = {
    "centro": [120, 80, 35],
    "pampulha": [60, 45],
    "savassi": [210],
}


# --8<-- [start:dag]
@dag(
    schedule="0 7 * * 1-5",  # (1)!
    start_date=pendulum.datetime(2026, 11, 1, tz="America/Sao_Paulo"),
    catchup=False,
    params={  # (2)!
        "loja": Param(
            "centro", enum=sorted(PEDIDOS), description="Loja a resumir"
        ),
        "minimo": Param(
            50, type="integer", minimum=0,
            description="Pedido mínimo, em reais",
        ),
        "diretorio_saida": Param("/tmp/modulo10/conceitos", type="string"),
    },
    tags=["capitulo-2"],
)
def airflow_conceitos():
    @task
    def buscar_pedidos(params=None) -> list[int]:  # (3)!
        return PEDIDOS[params["loja"]]

    @task
    def resumir(pedidos: list[int], params=None) -> dict:
        moeda = Variable.get("modulo10_moeda", default="BRL")  # (4)!
        validos = [valor for valor in pedidos if valor >= params["minimo"]]
        return {
            "pedidos": len(validos),
            "total": sum(validos),
            "moeda": moeda,
        }

    gravar_resumo = BashOperator(  # (5)!
        task_id="gravar_resumo",
        bash_command=(
            'mkdir -p "$SAIDA" && '
            'echo "$LOJA: $PEDIDOS pedido(s), $TOTAL $MOEDA" | '
            'tee "$SAIDA/resumo_$LOJA.txt"'
        ),
        env={
            "LOJA": "{{ params.loja }}",
            "SAIDA": "{{ params.diretorio_saida }}",
            "PEDIDOS": "{{ ti.xcom_pull(task_ids='resumir')['pedidos'] }}",
            "TOTAL": "{{ ti.xcom_pull(task_ids='resumir')['total'] }}",
            "MOEDA": "{{ ti.xcom_pull(task_ids='resumir')['moeda'] }}",
        },
        append_env=True,
    )

    resumir(buscar_pedidos()) >> gravar_resumo  # (6)!


airflow_conceitos()
# --8<-- [end:dag]
