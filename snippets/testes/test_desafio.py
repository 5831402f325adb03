"""Os requisitos do desafio do capítulo 5 (a semana inteira da PTAX, toda
sexta-feira), como testes.

Por padrão, testam a solução do curso, `pratica_desafio`. Para testar a
sua, diga o id da DAG:
`DESAFIO=meu_desafio pytest snippets/testes/test_desafio.py`.

Os testes não dependem dos nomes que você deu às tasks: a task dos dias é a
que tem uma instância por dia (`map_index` de 0 em diante), e a do resumo é
a única que não tem nenhuma task depois dela.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from datetime import datetime, timedelta
from statistics import mean
from zoneinfo import ZoneInfo

import pendulum
import pytest
from croniter import croniter

BRASILIA = ZoneInfo("America/Sao_Paulo")
# Vendas fictícias de duas semanas; a compra de cada dia fica 6 décimos de
# milésimo abaixo.
VENDAS = {
    "2026-11-09": 5.3222, "2026-11-10": 5.3187, "2026-11-11": 5.2984,
    "2026-11-12": 5.2884, "2026-11-13": 5.2980, "2026-11-16": 5.3007,
    "2026-11-17": 5.3271, "2026-11-18": 5.3419, "2026-11-19": 5.3132,
}
# Duas execuções de sexta às 15h. A semana de 16/11 termina num feriado,
# 20/11, o Dia da Consciência Negra, que está em comum/feriados.csv; a de
# 9/11 só tem dias úteis.
SEXTA_COM_FERIADO = "2026-11-20T15:00:00-03:00"
SEXTA_SEM_FERIADO = "2026-11-13T15:00:00-03:00"
PAGINA_DE_MANUTENCAO = (200, "<html>manutenção</html>")


def resposta(dia: str, venda: float) -> str:
    """A resposta da API do Banco Central para um dia com cotação."""
    item = {
        "cotacaoCompra": round(venda - 0.0006, 4),
        "cotacaoVenda": venda,
        "dataHoraCotacao": f"{dia} 13:09:27.513",
    }
    return json.dumps({"value": [item]})


@pytest.fixture(params=[os.environ.get("DESAFIO", "pratica_desafio")])
def desafio(request, dagbag) -> str:
    """O id da DAG testada; se ela não carregou, o teste para aqui, com os
    erros de importação."""
    if request.param not in dagbag.dags:
        pytest.fail(
            f"a DAG {request.param!r} não está em {dagbag.dag_folder}; "
            f"erros de importação: {dagbag.import_errors or 'nenhum'}",
            pytrace=False,
        )
    return request.param


@pytest.fixture
def api(api_ptax):
    """A API falsa com a cotação de cada dia de VENDAS; qualquer outro dia
    vem sem cotação."""
    for dia, venda in VENDAS.items():
        api_ptax.por_dia[dia] = (200, resposta(dia, venda))
    return api_ptax


def executar(nova_dag, dag_id: str, sexta: str):
    """Roda a DAG com a data lógica de `sexta`, com as novas tentativas da
    DAG, mas sem as esperas."""
    dag = nova_dag(dag_id)
    for tarefa in dag.tasks:
        tarefa.retry_delay = timedelta(0)
        tarefa.retry_exponential_backoff = 0
    return dag, dag.test(logical_date=pendulum.parse(sexta))


def dias(execucao) -> list:
    """As instâncias da task mapeada, uma por dia, pelo `map_index`."""
    instancias = execucao.get_task_instances()
    mapeadas = [ti for ti in instancias if ti.map_index >= 0]
    return sorted(mapeadas, key=lambda ti: ti.map_index)


def estados(instancias) -> Counter:
    return Counter(str(ti.state) for ti in instancias)


def resumo(dag, execucao):
    """A instância da task final, a que resume a semana."""
    finais = [t.task_id for t in dag.tasks if not t.downstream_task_ids]
    assert len(finais) == 1, (
        "uma só task final, a do resumo; sem nenhuma task depois, "
        f"há estas: {finais}"
    )
    return execucao.get_task_instance(finais[0])


def devolvido(ti):
    """O que a task devolveu nesta execução (o XCom `return_value`).

    `None` se ela não devolveu nada.
    """
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session

    with create_session() as sessao:
        consulta = XComModel.get_many(
            run_id=ti.run_id, dag_ids=ti.dag_id, task_ids=ti.task_id,
            key="return_value",
        )
        xcom = sessao.scalars(consulta).first()
        return None if xcom is None else XComModel.deserialize_value(xcom)


def carregados(armazem) -> list[str]:
    linhas = armazem("SELECT data_cotacao FROM cotacao_dolar ORDER BY 1")
    return [dia for (dia,) in linhas]


def alertas(armazem) -> list[tuple[str, int]]:
    """`(task_id, map_index)` de cada alerta que o notifier gravou.

    Nenhum, se a tabela nem existe.
    """
    tabela = "SELECT 1 FROM sqlite_master WHERE name = 'alerta_pipeline'"
    if not armazem(tabela):
        return []
    return armazem(
        "SELECT task_id, map_index FROM alerta_pipeline "
        "ORDER BY map_index"
    )


def test_agenda_semanal_sexta_as_15h_de_brasilia_sem_catchup(
    dagbag, desafio
):
    dag = dagbag.dags[desafio]
    assert isinstance(dag.schedule, str), "a agenda é uma expressão cron"
    segunda = datetime(2026, 11, 16, tzinfo=ZoneInfo(dag.timezone.name))
    disparos = croniter(dag.schedule, segunda)
    proximos = [
        disparos.get_next(datetime).astimezone(BRASILIA).isoformat()
        for _ in range(3)
    ]
    assert proximos == [
        "2026-11-20T15:00:00-03:00",
        "2026-11-27T15:00:00-03:00",
        "2026-12-04T15:00:00-03:00",
    ]
    assert dag.catchup is False


def test_um_dia_por_task_e_o_feriado_pulado_sem_consultar_a_api(
    nova_dag, desafio, api, armazem
):
    _, execucao = executar(nova_dag, desafio, SEXTA_COM_FERIADO)

    # Sem a sexta, 20/11, feriado.
    semana = ["2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19"]
    assert sorted(api.dias_pedidos()) == semana, (
        "um pedido por dia útil da semana da data lógica"
    )
    assert len({ti.task_id for ti in dias(execucao)}) == 1, (
        "cada dia é uma instância da task mapeada"
    )
    assert estados(dias(execucao)) == {"success": 4, "skipped": 1}, (
        "o feriado é pulado"
    )
    assert execucao.state == "success"
    assert carregados(armazem) == semana


def test_resumo_da_semana_com_feriado(nova_dag, desafio, api, armazem):
    dag, execucao = executar(nova_dag, desafio, SEXTA_COM_FERIADO)

    final = resumo(dag, execucao)
    uteis = ("2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19")
    vendas = [VENDAS[dia] for dia in uteis]
    assert str(final.state) == "success", (
        "o resumo roda mesmo com um feriado na semana"
    )
    assert devolvido(final) == {
        "dias": 4,
        "minima": min(vendas),
        "maxima": max(vendas),
        "media": pytest.approx(mean(vendas), abs=1e-4),
    }


def test_dia_util_sem_cotacao_falha_sem_novas_tentativas(
    nova_dag, desafio, api, armazem
):
    # Às 15h de sexta, a PTAX de todo dia útil da semana já devia ter
    # saído: vir sem cotação é falha.
    del api.por_dia["2026-11-18"]

    _, execucao = executar(nova_dag, desafio, SEXTA_COM_FERIADO)

    esperados = {"success": 3, "failed": 1, "skipped": 1}
    assert estados(dias(execucao)) == esperados, (
        "um dia útil sem cotação falha; o feriado continua pulado"
    )
    assert Counter(api.dias_pedidos())["2026-11-18"] == 1, (
        "o dia útil sem cotação não tem novas tentativas"
    )
    assert "2026-11-20" not in api.dias_pedidos(), (
        "o feriado não consulta a API"
    )
    assert execucao.state == "failed"


def test_resposta_malformada_falha_sem_novas_tentativas_e_vira_alerta(
    nova_dag, desafio, api, armazem
):
    api.por_dia["2026-11-11"] = PAGINA_DE_MANUTENCAO

    dag, execucao = executar(nova_dag, desafio, SEXTA_SEM_FERIADO)

    falhas = [ti for ti in dias(execucao) if str(ti.state) == "failed"]
    assert estados(dias(execucao)) == {"success": 4, "failed": 1}, (
        "só o dia malformado falha"
    )
    assert Counter(api.dias_pedidos())["2026-11-11"] == 1, (
        "a resposta malformada não tem novas tentativas"
    )
    assert carregados(armazem) == [
        "2026-11-09", "2026-11-10", "2026-11-12", "2026-11-13",
    ]
    assert str(resumo(dag, execucao).state) == "upstream_failed", (
        "com um dia que falhou, o resumo não roda"
    )
    esperados = [(ti.task_id, ti.map_index) for ti in falhas]
    assert alertas(armazem) == esperados, "a falha vira um alerta"
    assert execucao.state == "failed"


def test_falha_de_rede_tenta_de_novo_e_cada_dia_que_falha_vira_um_alerta(
    nova_dag, desafio, api, armazem
):
    api.por_dia["2026-11-11"] = PAGINA_DE_MANUTENCAO
    api.por_dia["2026-11-12"] = (500, "erro interno")

    dag, execucao = executar(nova_dag, desafio, SEXTA_SEM_FERIADO)

    falhas = [ti for ti in dias(execucao) if str(ti.state) == "failed"]
    assert len(falhas) == 2, "os dois dias falham"
    novas_tentativas = dag.get_task(falhas[0].task_id).retries
    assert novas_tentativas > 0, "uma falha de rede tem novas tentativas"
    pedidos = Counter(api.dias_pedidos())
    assert pedidos["2026-11-12"] == 1 + novas_tentativas
    esperados = [(ti.task_id, ti.map_index) for ti in falhas]
    assert alertas(armazem) == esperados, "um alerta por dia que falhou"
