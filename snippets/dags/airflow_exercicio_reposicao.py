"""Solução do exercício do capítulo 2: pedido de reposição de estoque.

Os Params trazem o estoque e o mínimo; tasks TaskFlow escolhem os itens em
falta e montam o pedido; um BashOperator grava o pedido, recebido pelo XCom
numa variável de ambiente, e publica o asset que o setor de compras
acompanha.
"""

from __future__ import annotations

import pendulum
from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import Asset, Param, Variable, dag, task

PEDIDO_REPOSICAO = Asset("pedido_reposicao")


# --8<-- [start:solucao]
@dag(
    schedule="30 5 * * *",
    start_date=pendulum.datetime(2026, 11, 1, tz="America/Sao_Paulo"),
    catchup=False,
    default_args={"retries": 2},
    params={
        "estoque": Param(
            {
                "cafe_500g": 4,
                "doce_de_leite_400g": 7,
                "pao_de_queijo_1kg": 25,
            },
            type="object",
            additionalProperties={"type": "integer", "minimum": 0},
        ),
        "minimo": Param(10, type="integer", minimum=1),
        "diretorio_saida": Param("/tmp/modulo10/compras", type="string"),
    },
    tags=["capitulo-2", "exercicio"],
)
def airflow_exercicio_reposicao():
    @task
    def itens_em_falta(params=None) -> dict[str, int]:
        return {
            item: qtd
            for item, qtd in params["estoque"].items()
            if qtd < params["minimo"]
        }

    @task
    def montar_pedido(faltas: dict[str, int], params=None) -> str:
        alvo = 2 * params["minimo"]
        fornecedor = Variable.get(
            "modulo10_fornecedor", default="distribuidora_central"
        )
        itens = sorted(faltas.items())  # (1)!
        linhas = [f"{item};{alvo - qtd}" for item, qtd in itens]
        return "\n".join(
            [f"# fornecedor: {fornecedor}", "item;quantidade", *linhas]
        )

    gravar_pedido = BashOperator(
        task_id="gravar_pedido",
        bash_command=(
            'mkdir -p "$SAIDA" && '
            'printf "%s\\n" "$PEDIDO" > "$SAIDA/pedido.csv" && '
            'echo "$SAIDA/pedido.csv"'
        ),
        env={  # (2)!
            "SAIDA": "{{ params.diretorio_saida }}",
            "PEDIDO": "{{ ti.xcom_pull(task_ids='montar_pedido') }}",
        },
        append_env=True,
        outlets=[PEDIDO_REPOSICAO],  # (3)!
    )

    montar_pedido(itens_em_falta()) >> gravar_pedido


airflow_exercicio_reposicao()
# --8<-- [end:solucao]
