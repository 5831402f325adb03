"""Every DAG of snippets/dags, unpaused and triggered through the REST API of the course's stack,
all at once, ends as tests/ expects; the components the chapters name report healthy."""

from __future__ import annotations

import base64
import json
import os
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime

import pytest
from conftest import URL_FLOWER, USUARIO, armazem, compose, dags_da_pasta, esperar

FINAIS = {"success", "failed"}


@dataclass(frozen=True)
class Execucao:
    """What one triggered run of a DAG must end as, inside the stack."""

    conf: dict
    data_logica: str | None = None  # ISO 8601 with offset; None triggers "now", as the UI's button does
    estado: str = "success"
    tarefas: dict[str, str | list[str]] = field(default_factory=dict)
    arquivo: tuple[str, str] | None = None  # (path inside the worker, expected content)
    dias_no_armazem: tuple[str, str, list[str]] | None = None  # (first day, last day, days loaded)


PTAX_V1 = ["criar_tabela", "extrair", "validar", "transformar", "carregar", "relatorio"]

EXECUCOES = {
    "airflow_hook_conexao": Execucao(conf={}, tarefas={"inventariar": "success"}),
    "orquestracao_vendas_diarias": Execucao(
        conf={"dia": "2026-11-24"},
        tarefas=dict.fromkeys(["extrair", "validar", "transformar", "carregar"], "success"),
        arquivo=(
            "/tmp/modulo10/relatorios/relatorio_2026-11-24.csv",
            "loja,receita\ncentro,554.00\npampulha,527.60\nsavassi,342.32\n",
        ),
    ),
    "orquestracao_exercicio_devolucoes": Execucao(
        conf={"dia": "2026-11-24"},
        tarefas=dict.fromkeys(
            ["extrair_vendas", "extrair_devolucoes", "calcular_liquida", "carregar"], "success"
        ),
        arquivo=(
            "/tmp/modulo10/relatorios/liquida_2026-11-24.csv",
            "loja,receita\ncentro,543.02\npampulha,495.10\nsavassi,342.32\n",
        ),
    ),
    "componentes_lotes_paralelos": Execucao(
        conf={"lotes": 8, "segundos_por_lote": 2},
        tarefas=dict.fromkeys(["listar_lotes", "processar", "consolidar"], "success"),
    ),
    "componentes_fila_dedicada": Execucao(
        conf={},
        tarefas=dict.fromkeys(["preparar", "calcular", "publicar"], "success"),
    ),
    "airflow_conceitos": Execucao(
        conf={"loja": "centro"},
        tarefas=dict.fromkeys(["buscar_pedidos", "resumir", "gravar_resumo"], "success"),
        arquivo=("/tmp/modulo10/conceitos/resumo_centro.txt", "centro: 2 pedido(s), 200 BRL\n"),
    ),
    "airflow_sensor_adiado": Execucao(
        conf={},
        tarefas=dict.fromkeys(["aguardar_janela", "conferir_espera"], "success"),
    ),
    "airflow_assets_produtor": Execucao(
        conf={"dia": "2026-11-24"},
        tarefas=dict.fromkeys(["calcular_receita", "publicar_resumo"], "success"),
        arquivo=(
            "/tmp/modulo10/resumos/resumo_2026-11-24.json",
            '{"dia": "2026-11-24", "receita": {"centro": 55400, "pampulha": 52760, "savassi": 34232}}',
        ),
    ),
    # Triggered by hand alongside the producer: it succeeds with or without an event yet.
    "airflow_assets_consumidor": Execucao(
        conf={},
        tarefas={"totalizar": "success"},
    ),
    # Chapter 5. Each run loads its own day, none of which the scheduler's own runs (this week's,
    # created when the DAGs are unpaused) or test_pratica.py's touch.
    "pratica_primeira_versao": Execucao(
        conf={"dia": "2026-11-03"},
        tarefas=dict.fromkeys(PTAX_V1, "success"),
        dias_no_armazem=("2026-11-03", "2026-11-03", ["2026-11-03"]),
    ),
    "pratica_agendamento": Execucao(
        conf={}, data_logica="2026-11-04T14:00:00-03:00",
        tarefas=dict.fromkeys(PTAX_V1, "success"),
        dias_no_armazem=("2026-11-04", "2026-11-04", ["2026-11-04"]),
    ),
    "pratica_conexoes": Execucao(
        conf={}, data_logica="2026-11-05T14:00:00-03:00",
        tarefas=dict.fromkeys(PTAX_V1, "success"),
        dias_no_armazem=("2026-11-05", "2026-11-05", ["2026-11-05"]),
    ),
    "pratica_monitoramento": Execucao(
        conf={}, data_logica="2026-11-06T14:00:00-03:00",
        tarefas=dict.fromkeys(PTAX_V1, "success"),
        dias_no_armazem=("2026-11-06", "2026-11-06", ["2026-11-06"]),
    ),
    # Finados: no quote, nothing loaded, the report still runs.
    "pratica_erros": Execucao(
        conf={}, data_logica="2026-11-02T14:00:00-03:00",
        tarefas={
            "criar_tabela": "success", "extrair": "success", "relatorio": "success",
            **dict.fromkeys(["validar", "transformar", "conferir", "carregar"], "skipped"),
        },
        dias_no_armazem=("2026-11-02", "2026-11-02", []),
    ),
    # The week of 12/10, a holiday: four days loaded, Monday skipped, the summary made.
    "pratica_desafio": Execucao(
        conf={}, data_logica="2026-10-16T15:00:00-03:00",
        tarefas={
            "criar_tabela": "success", "dias_da_semana": "success", "resumir": "success",
            "carregar_dia": ["skipped", "success", "success", "success", "success"],
        },
        dias_no_armazem=("2026-10-12", "2026-10-16", [f"2026-10-{d}" for d in range(13, 17)]),
    ),
    "airflow_exercicio_reposicao": Execucao(
        conf={},
        tarefas=dict.fromkeys(["itens_em_falta", "montar_pedido", "gravar_pedido"], "success"),
        arquivo=(
            "/tmp/modulo10/compras/pedido.csv",
            "# fornecedor: distribuidora_central\nitem;quantidade\ncafe_500g;16\ndoce_de_leite_400g;13\n",
        ),
    ),
}


def test_componentes_saudaveis(cliente):
    from airflow_client.client import MonitorApi

    saude = MonitorApi(cliente).get_health()
    estados = {
        "metadatabase": saude.metadatabase.status,
        "scheduler": saude.scheduler.status,
        "triggerer": saude.triggerer.status,
        "dag_processor": saude.dag_processor.status,
    }
    assert estados == dict.fromkeys(estados, "healthy")


def test_toda_dag_tem_execucao_esperada():
    assert set(EXECUCOES) == dags_da_pasta(), "every DAG needs an entry in EXECUCOES"


@pytest.fixture(scope="session")
def execucoes(cliente):
    """Unpause and trigger every DAG at once, then wait for all runs to finish."""
    from airflow_client.client import DAGApi, DAGPatchBody, DagRunApi, ImportErrorApi, TriggerDAGRunPostBody

    dags = DAGApi(cliente)
    esperadas = dags_da_pasta()
    esperar(
        lambda: esperadas <= {d.dag_id for d in dags.get_dags(limit=100).dags},
        ate=120, descricao=f"the DAG processor to parse {sorted(esperadas)}",
    )
    assert ImportErrorApi(cliente).get_import_errors().total_entries == 0

    runs = DagRunApi(cliente)
    disparos = {}
    for dag_id in sorted(esperadas):
        dags.patch_dag(dag_id, DAGPatchBody(is_paused=False))
        execucao = EXECUCOES[dag_id]
        logica = datetime.fromisoformat(execucao.data_logica) if execucao.data_logica else None
        corpo = TriggerDAGRunPostBody(logical_date=logica, conf=execucao.conf)
        disparos[dag_id] = runs.trigger_dag_run(dag_id, corpo).dag_run_id

    def terminadas():
        atuais = {d: runs.get_dag_run(d, r) for d, r in disparos.items()}
        return atuais if all(str(r.state.value) in FINAIS for r in atuais.values()) else None

    return esperar(terminadas, ate=300, descricao="all triggered runs to finish")


@pytest.mark.parametrize("dag_id", sorted(EXECUCOES))
def test_execucao_termina_como_esperado(cliente, execucoes, dag_id):
    from airflow_client.client import TaskInstanceApi

    run = execucoes[dag_id]
    esperado = EXECUCOES[dag_id]
    instancias = TaskInstanceApi(cliente).get_task_instances(dag_id, run.dag_run_id).task_instances
    por_tarefa: dict[str, list[str]] = {}
    for ti in sorted(instancias, key=lambda ti: (ti.task_id, ti.map_index)):
        por_tarefa.setdefault(ti.task_id, []).append(str(ti.state.value))
    # A mapped task's instances: one state when they all agree, else the list by map index.
    estados = {tarefa: s[0] if len(set(s)) == 1 else s for tarefa, s in por_tarefa.items()}
    if estados != esperado.tarefas or str(run.state.value) != esperado.estado:
        logs = "\n".join(
            f"--- {ti.task_id} (try {ti.try_number}):\n"
            + str(TaskInstanceApi(cliente).get_log(dag_id, run.dag_run_id, ti.task_id, ti.try_number))
            for ti in instancias if str(ti.state.value) != "success"
        )
        pytest.fail(f"{dag_id}: run {run.state.value}, tasks {estados}; expected {esperado}\n{logs}")
    if esperado.arquivo:
        caminho, conteudo = esperado.arquivo
        assert compose("exec", "-T", "airflow-worker", "cat", caminho).stdout == conteudo
    if esperado.dias_no_armazem:
        inicio, fim, dias = esperado.dias_no_armazem
        consulta = f"SELECT data_cotacao FROM cotacao_dolar WHERE data_cotacao BETWEEN '{inicio}' AND '{fim}'"
        assert [dia for (dia,) in armazem(consulta + " ORDER BY 1")] == dias
    duracao = (run.end_date - run.start_date).total_seconds()
    print(f"{dag_id}: {duracao:.1f} s in the stack")


def workers_no_flower() -> dict:
    """Flower's own API (basic auth with the course login), asked to refresh its view."""
    credenciais = base64.b64encode(f"{USUARIO}:{os.environ['AIRFLOW_SENHA']}".encode()).decode()
    pedido = urllib.request.Request(
        f"{URL_FLOWER}/api/workers?refresh=1", headers={"Authorization": f"Basic {credenciais}"}
    )
    with urllib.request.urlopen(pedido, timeout=30) as resposta:
        return json.load(resposta)


def test_flower_ve_o_worker(stack):
    workers = workers_no_flower()
    assert len(workers) == 2, workers  # the default worker and the "pesada" queue's
    assert all(nome.startswith("celery@") for nome in workers)
