"""Chapter 2 (docs/02-airflow/conceitos.md): TaskFlow and XCom, a BashOperator fed by
templates, validated Params and a Variable read with a default."""

from __future__ import annotations

import pytest
from conftest import Estrutura

DAG_ID = "airflow_conceitos"
TAREFAS = ["buscar_pedidos", "resumir", "gravar_resumo"]


def test_estrutura(estrutura):
    assert estrutura(DAG_ID) == Estrutura(
        tarefas=frozenset(TAREFAS),
        dependencias=frozenset({("buscar_pedidos", "resumir"), ("resumir", "gravar_resumo")}),
        agenda="0 7 * * 1-5",
        fuso="America/Sao_Paulo",
        tentativas_extras=dict.fromkeys(TAREFAS, 0),
    )


def test_bash_operator_vem_do_provider_standard(dagbag):
    gravar = dagbag.dags[DAG_ID].get_task("gravar_resumo")
    assert type(gravar).__module__ == "airflow.providers.standard.operators.bash"


def test_valores_passam_pelo_xcom_ate_o_bash(executar, tmp_path):
    resultado = executar(DAG_ID, loja="centro", minimo=50, diretorio_saida=str(tmp_path))
    assert resultado.estado == "success", resultado
    assert resultado.estados == dict.fromkeys(TAREFAS, "success")
    assert resultado.valores["buscar_pedidos"] == [120, 80, 35]
    # 35 is below the minimum of 50; the Variable does not exist, so its default applies
    assert resultado.valores["resumir"] == {"pedidos": 2, "total": 200, "moeda": "BRL"}
    # BashOperator pushes the last line of stdout
    assert resultado.valores["gravar_resumo"] == "centro: 2 pedido(s), 200 BRL"
    assert (tmp_path / "resumo_centro.txt").read_text() == "centro: 2 pedido(s), 200 BRL\n"


def test_variable_definida_substitui_o_padrao(executar, tmp_path, monkeypatch):
    monkeypatch.setenv("AIRFLOW_VAR_MODULO10_MOEDA", "EUR")  # one of the places Variable.get looks
    resultado = executar(DAG_ID, loja="savassi", minimo=0, diretorio_saida=str(tmp_path))
    assert resultado.estado == "success", resultado
    assert (tmp_path / "resumo_savassi.txt").read_text() == "savassi: 1 pedido(s), 210 EUR\n"


@pytest.mark.parametrize(
    ("minimo", "linha"), [(50, "pampulha: 1 pedido(s), 60 BRL"), (0, "pampulha: 2 pedido(s), 105 BRL")]
)
def test_exercicio_resumo_da_pampulha(executar, tmp_path, minimo, linha):
    """Exercise 2 of docs/02-airflow/exercicios.md: the answers it gives."""
    resultado = executar(DAG_ID, loja="pampulha", minimo=minimo, diretorio_saida=str(tmp_path))
    assert resultado.estado == "success", resultado
    assert (tmp_path / "resumo_pampulha.txt").read_text() == linha + "\n"


@pytest.mark.parametrize("conf", [{"loja": "contagem"}, {"minimo": -1}, {"minimo": "cinquenta"}])
def test_params_invalidos_sao_recusados_antes_de_rodar(executar, conf):
    from airflow.sdk.exceptions import ParamValidationError

    with pytest.raises(ParamValidationError):
        executar(DAG_ID, **conf)
