"""Chapter 2 exercise (docs/02-airflow/exercicios.md): a restocking order from Params,
TaskFlow and XCom, written by a BashOperator that publishes an asset."""

from __future__ import annotations

import pytest
import saidas
from conftest import Estrutura, eventos_do_asset

DAG_ID = "airflow_exercicio_reposicao"
TAREFAS = ["itens_em_falta", "montar_pedido", "gravar_pedido"]


def test_estrutura(estrutura):
    assert estrutura(DAG_ID) == Estrutura(
        tarefas=frozenset(TAREFAS),
        dependencias=frozenset({("itens_em_falta", "montar_pedido"), ("montar_pedido", "gravar_pedido")}),
        agenda="30 5 * * *",
        fuso="America/Sao_Paulo",
        tentativas_extras=dict.fromkeys(TAREFAS, 2),
    )


def test_pedido_padrao(executar, tmp_path):
    resultado = executar(DAG_ID, diretorio_saida=str(tmp_path))
    assert resultado.estado == "success", resultado
    assert resultado.estados == dict.fromkeys(TAREFAS, "success")
    assert resultado.valores["itens_em_falta"] == {"cafe_500g": 4, "doce_de_leite_400g": 7}
    pedido = (tmp_path / "pedido.csv").read_text()
    assert pedido == (
        "# fornecedor: distribuidora_central\nitem;quantidade\ncafe_500g;16\ndoce_de_leite_400g;13\n"
    )
    saidas.confere("airflow_pedido_reposicao", pedido)  # the exercise's expected file
    assert resultado.valores["gravar_pedido"] == str(tmp_path / "pedido.csv")
    assert eventos_do_asset("pedido_reposicao")[-1]["task"] == "gravar_pedido"


def test_estoque_e_minimo_vem_dos_params(executar, tmp_path, monkeypatch):
    monkeypatch.setenv("AIRFLOW_VAR_MODULO10_FORNECEDOR", "laticinios_serro")
    resultado = executar(
        DAG_ID, estoque={"queijo_minas": 2, "cafe_500g": 30}, minimo=5, diretorio_saida=str(tmp_path)
    )
    assert resultado.estado == "success", resultado
    assert (tmp_path / "pedido.csv").read_text() == (
        "# fornecedor: laticinios_serro\nitem;quantidade\nqueijo_minas;8\n"
    )


@pytest.mark.parametrize(
    "conf", [{"minimo": 0}, {"estoque": {"cafe_500g": -1}}, {"estoque": {"cafe_500g": "x"}}]
)
def test_params_invalidos_sao_recusados(executar, conf):
    from airflow.sdk.exceptions import ParamValidationError

    with pytest.raises(ParamValidationError):
        executar(DAG_ID, **conf)
