"""What the stack tier expects of each sample: every DAG's triggered run and every CLI sample's output.

Data, not tests: the `docs` tier (no Docker) checks that every DAG of snippets/dags and every
script of snippets/cli has its entry here, and the `stack` tier runs them against the stack.
A new DAG needs an entry in EXECUCOES; a new CLI sample, a function in SAIDAS_DA_CLI.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import saidas
from do_leitor import do_leitor

PASTA_DAGS = Path(__file__).resolve().parents[2] / "snippets" / "dags"
PAGINA_DO_AMBIENTE = Path(__file__).resolve().parents[2] / "docs" / "comecar.md"


def tetos_de_memoria() -> dict[str, float]:
    """GiB each profile stays under, as the setup page tells readers; the stack tier fails above them."""
    texto = " ".join(PAGINA_DO_AMBIENTE.read_text().split())
    achado = re.search(r"A stack completa, .*? fica abaixo de (\d+,\d) GiB .*? o perfil leve, abaixo de "
                       r"(\d+,\d) GiB", texto)
    if achado is None:
        raise LookupError(f"{PAGINA_DO_AMBIENTE.name} no longer says how much memory each profile uses")
    celery, leve = (float(gib.replace(",", ".")) for gib in achado.groups())
    return {"celery": celery, "leve": leve}


def dags_da_pasta(pasta: Path = PASTA_DAGS) -> set[str]:
    """DAG ids the course ships: one per .py file of snippets/dags outside .airflowignore'd folders,
    the reader's own challenge file aside (tests/do_leitor.py)."""
    ignorados = [
        linha.strip().rstrip("/") for linha in (pasta / ".airflowignore").read_text().splitlines()
        if linha.strip() and not linha.startswith("#")
    ]
    return {
        arquivo.stem for arquivo in pasta.rglob("*.py")
        if not do_leitor(arquivo)
        and not any(arquivo.relative_to(pasta).as_posix().startswith(f"{i}/") for i in ignorados)
    }


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



# What each CLI sample (snippets/cli/<name>.sh) must print, as a check on its output.

def saude(saida: str) -> None:
    componentes = json.loads(saida)
    assert {nome: c["status"] for nome, c in componentes.items()} == dict.fromkeys(
        ["metadatabase", "scheduler", "triggerer", "dag_processor"], "healthy"
    )
    # The page shows the whole answer; only the heartbeats' times change from one call to the next.
    saidas.confere("arquitetura_saude", saida, variaveis=(saidas.HORARIO,))


def jobs_check(saida: str) -> None:
    assert saida.count("Found one alive job.") == 3
    # The page shows each command's verdict, whatever else the containers print around it.
    saidas.confere("arquitetura_jobs_check", "\n".join(re.findall(r"^.*alive jobs?.*$", saida, re.M)))


def dags(saida: str) -> None:
    for dag_id in dags_da_pasta():
        assert dag_id in saida
    assert re.search(r"orquestracao_vendas_diarias \| manual__", saida), "the triggered run is listed"


def tasks_test(saida: str) -> None:
    # The task runner's own lines: the task read the day's file and returned its rows.
    assert "Done. Returned value was: {'dia': '2026-11-24', 'linhas': [['data', 'loja'," in saida
    assert "Task failed with exception" not in saida


def backfill(saida: str) -> None:
    # Dates without a timezone are UTC midnight: 2026-11-24 09:00 UTC falls after --to-date.
    datas = re.findall(r"(2026-11-\d\d) 09:00:00\+00:00", saida)
    assert datas == ["2026-11-21", "2026-11-22", "2026-11-23"]
    # The page shows the dry run's table, from its heading to its last row.
    tabela = re.search(r"^Runs to be attempted:\n(?:[+|].*\n?)+", saida, re.M)
    assert tabela, saida
    saidas.confere("componentes_backfill", tabela.group())


def pratica_backfill(saida: str) -> None:
    # 14h in Brasília is 17h UTC: one backfill run per weekday of the week, none for the weekend.
    datas = sorted(set(re.findall(r"backfill__(2026-11-\d\d)T17:00:00\+00:00", saida)))
    assert datas == ["2026-11-09", "2026-11-10", "2026-11-11", "2026-11-12", "2026-11-13"], saida


def comecar_primeira_execucao(saida: str) -> None:
    # It polls until the run ends; the last line is the run's final state.
    assert re.search(r"^primeira-execucao-\d{8}-\d{6}: success\n\Z", saida, re.M), saida[-2000:]


def variaveis_conexoes(saida: str) -> None:
    assert re.search(r"^curso$", saida, re.M)
    assert "host: armazem" in saida and "login: leitor" in saida
    # The page points at two fields of `connections get --output yaml`: with no Fernet key, the password
    # is stored as it is.
    saidas.confere("componentes_conexao_sem_fernet",
                   "\n".join(re.findall(r"^ *(?:is_encrypted|password):.*$", saida, re.M)))


def config_db(saida: str) -> None:
    assert re.search(r"^CeleryExecutor$", saida, re.M)
    assert "Connection successful." in saida


SAIDAS_DA_CLI = {
    "arquitetura_saude.sh": saude,
    "arquitetura_jobs_check.sh": jobs_check,
    "componentes_dags.sh": dags,
    "componentes_tasks_test.sh": tasks_test,
    "componentes_backfill.sh": backfill,
    "componentes_variaveis_conexoes.sh": variaveis_conexoes,
    "componentes_config_db.sh": config_db,
    "pratica_backfill.sh": pratica_backfill,
    "comecar_primeira_execucao.sh": comecar_primeira_execucao,
}
