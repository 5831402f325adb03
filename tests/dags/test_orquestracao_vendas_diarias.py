"""Chapter 1 (docs/01-orquestracao/problemas.md): the cron script against the DAG.

Each test states one claim the chapter makes; the cron script is run for real with
bash, and the DAG with dag.test(), on the same input.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC
from pathlib import Path

import pytest
import saidas
from conftest import PASTA_DADOS, RAIZ, Estrutura

DAG_ID = "orquestracao_vendas_diarias"
SCRIPT_CRON = RAIZ / "snippets" / "cron" / "vendas_diarias.sh"
CRONTAB = RAIZ / "snippets" / "cron" / "crontab"
DIA = "2026-11-24"
RELATORIO_ESPERADO = "loja,receita\ncentro,554.00\npampulha,527.60\nsavassi,342.32\n"


@pytest.fixture
def entrada(tmp_path) -> Path:
    """A private copy of the sales data that a test may damage."""
    return Path(shutil.copytree(PASTA_DADOS / "vendas", tmp_path / "vendas"))


@pytest.fixture
def saida(tmp_path) -> Path:
    pasta = tmp_path / "relatorios"
    pasta.mkdir()
    return pasta


def rodar_cron(entrada: Path, saida: Path, dia: str = DIA) -> subprocess.CompletedProcess:
    ambiente = {"PATH": "/usr/bin:/bin", "DIA": dia, "ENTRADA": str(entrada), "SAIDA": str(saida)}
    return subprocess.run(["bash", str(SCRIPT_CRON)], env=ambiente, capture_output=True, text=True)


def test_estrutura(estrutura):
    tarefas = ["extrair", "validar", "transformar", "carregar"]
    assert estrutura(DAG_ID) == Estrutura(
        tarefas=frozenset(tarefas),
        dependencias=frozenset(zip(tarefas, tarefas[1:], strict=False)),
        agenda="0 6 * * *",
        fuso="America/Sao_Paulo",
        tentativas_extras=dict.fromkeys(tarefas, 3),
    )


def test_crontab_e_dag_tem_a_mesma_expressao(estrutura):
    linha = next(li for li in CRONTAB.read_text().splitlines() if li and not li.startswith("#"))
    expressao, comando = " ".join(linha.split()[:5]), linha.split()[5]
    assert expressao == estrutura(DAG_ID).agenda
    assert Path(comando).name == SCRIPT_CRON.name


# The sample days' reports, as the chapter's pages show them (docs/_saidas): the 24th in the chapter,
# the 25th in its first exercise's solution.
RELATORIOS_DAS_PAGINAS = {
    DIA: "orquestracao_relatorio_2026-11-24",
    "2026-11-25": "orquestracao_relatorio_2026-11-25",
}


@pytest.mark.parametrize("dia", RELATORIOS_DAS_PAGINAS)
def test_dia_bom_cron_e_dag_geram_o_mesmo_relatorio(executar, entrada, saida, tmp_path, dia):
    cron = rodar_cron(entrada, saida, dia)
    assert cron.returncode == 0, cron.stderr

    saida_dag = tmp_path / "dag"
    resultado = executar(DAG_ID, dia=dia, diretorio_entrada=str(entrada), diretorio_saida=str(saida_dag))
    assert resultado.estado == "success", resultado
    assert set(resultado.estados.values()) == {"success"}
    relatorio = (saida_dag / f"relatorio_{dia}.csv").read_text()
    assert relatorio == (saida / f"relatorio_{dia}.csv").read_text()
    saidas.confere(RELATORIOS_DAS_PAGINAS[dia], relatorio)


def test_arquivo_atrasado_cron_finge_sucesso_dag_tenta_de_novo(executar, entrada, saida):
    (entrada / f"{DIA}.csv").unlink()

    cron = rodar_cron(entrada, saida)
    assert cron.returncode == 0, "the chapter says cron reports success anyway"
    assert "No such file" in cron.stderr
    assert (saida / f"relatorio_{DIA}.csv").read_text() == "loja,receita\n"

    (saida / f"relatorio_{DIA}.csv").unlink()
    resultado = executar(DAG_ID, dia=DIA, diretorio_entrada=str(entrada), diretorio_saida=str(saida))
    assert resultado.estado == "failed"
    assert resultado.estados == {
        "extrair": "failed", "validar": "upstream_failed",
        "transformar": "upstream_failed", "carregar": "upstream_failed",
    }
    assert resultado.tentativas["extrair"] == 4  # 1 + retries=3
    assert len(resultado.erros["extrair"]) == 4
    assert all(erro.startswith("FileNotFoundError") for erro in resultado.erros["extrair"])
    assert list(saida.iterdir()) == []


def test_linha_ruim_cron_erra_calado_dag_para_na_validacao(executar, entrada, saida, capfd):
    arquivo = entrada / f"{DIA}.csv"
    linhas = arquivo.read_text().splitlines()
    assert linhas[2] == "2026-11-24,centro,pao_de_queijo_1kg,5,32.50"  # line 3 of the file
    linhas[2] = "2026-11-24,centro,pao_de_queijo_1kg,abc,32.50"
    arquivo.write_text("\n".join(linhas) + "\n")

    cron = rodar_cron(entrada, saida)
    assert cron.returncode == 0
    assert cron.stderr == ""
    # awk turns "abc" into 0: the 5 pães de queijo (162.50) vanish without a word.
    assert "centro,391.50" in (saida / f"relatorio_{DIA}.csv").read_text()

    (saida / f"relatorio_{DIA}.csv").unlink()
    resultado = executar(DAG_ID, dia=DIA, diretorio_entrada=str(entrada), diretorio_saida=str(saida))
    assert resultado.estado == "failed"
    assert resultado.estados["extrair"] == "success"
    assert resultado.estados["validar"] == "failed"
    assert resultado.tentativas["validar"] == 1, "bad data must not be retried"
    assert resultado.erros["validar"] == [
        "AirflowFailException: Lote rejeitado: 1 problema(s) no lote de 2026-11-24: "
        "linha 3: quantidade 'abc' não é um inteiro >= 0"
    ]
    assert list(saida.iterdir()) == [], "nothing half-written may be left behind"
    # The page quotes the cause as the task's log writes it: the traceback's last line.
    causa = [linha for linha in capfd.readouterr().out.splitlines() if "AirflowFailException: " in linha]
    assert len(causa) == 1, causa
    saidas.confere("orquestracao_lote_rejeitado", causa[0])


def test_reprocessar_o_dia_substitui_o_relatorio(executar, entrada, saida):
    for _ in range(2):
        resultado = executar(DAG_ID, dia=DIA, diretorio_entrada=str(entrada), diretorio_saida=str(saida))
        assert resultado.estado == "success"
    assert [p.name for p in saida.iterdir()] == [f"relatorio_{DIA}.csv"]
    assert (saida / f"relatorio_{DIA}.csv").read_text() == RELATORIO_ESPERADO


def test_falha_no_meio_da_gravacao_preserva_o_relatorio_anterior(dagbag, saida):
    from comum.vendas import gravar_relatorio  # importable once the DagBag put the bundle on sys.path

    destino = saida / f"relatorio_{DIA}.csv"
    gravar_relatorio({"centro": 55400}, destino)
    with pytest.raises(TypeError):
        gravar_relatorio({"centro": 100, "savassi": None}, destino)  # fails after the first row
    assert destino.read_text() == "loja,receita\ncentro,554.00\n"
    assert [p.name for p in saida.iterdir()] == [destino.name]


def vendas_do_dia(pasta: Path, dia: str) -> None:
    """The sample day's sales file, dated `dia`."""
    pasta.mkdir(exist_ok=True)
    conteudo = (PASTA_DADOS / "vendas" / f"{DIA}.csv").read_text().replace(DIA, dia)
    (pasta / f"{dia}.csv").write_text(conteudo)


# A manual run without `dia` processes the day before its run_after, in São Paulo: the moments where
# that is easy to get wrong, each with the day it must load.
DIA_ANTERIOR = {
    "manha_comum": ("2026-11-25T09:00:00+00:00", "2026-11-24"),
    "virada_do_mes": ("2026-12-01T09:00:00+00:00", "2026-11-30"),
    "virada_do_ano": ("2027-01-01T12:00:00+00:00", "2026-12-31"),
    # 23:30 of 1 March in São Paulo is already 2 March in UTC: the day before is still 28 February.
    "23h30_em_sao_paulo": ("2027-03-02T02:30:00+00:00", "2027-02-28"),
    "ano_bissexto": ("2028-03-01T09:00:00+00:00", "2028-02-29"),
}


@pytest.mark.parametrize("momento", DIA_ANTERIOR)
def test_dia_sem_parametro_processa_o_dia_anterior_a_execucao(executar, saida, tmp_path, momento):
    run_after, esperado = DIA_ANTERIOR[momento]
    entrada = tmp_path / "entrada"
    vendas_do_dia(entrada, esperado)

    resultado = executar(DAG_ID, run_after=run_after, diretorio_entrada=str(entrada),
                         diretorio_saida=str(saida))
    assert resultado.estado == "success", resultado
    assert [p.name for p in saida.iterdir()] == [f"relatorio_{esperado}.csv"]
    assert (saida / f"relatorio_{esperado}.csv").read_text() == RELATORIO_ESPERADO


def test_a_conf_de_uma_execucao_nao_vale_para_a_seguinte(executar, saida, tmp_path):
    # The first run names its day; the second names none, so it must take the day before its
    # run_after, not the first run's `dia` (dag.test() keeps the conf in the DAG object it ran).
    entrada = tmp_path / "entrada"
    vendas_do_dia(entrada, DIA)
    vendas_do_dia(entrada, "2026-11-30")
    conf = {"diretorio_entrada": str(entrada), "diretorio_saida": str(saida)}

    assert executar(DAG_ID, dia=DIA, **conf).estado == "success"
    assert executar(DAG_ID, run_after="2026-12-01T09:00:00+00:00", **conf).estado == "success"
    assert sorted(p.name for p in saida.iterdir()) == [f"relatorio_{DIA}.csv", "relatorio_2026-11-30.csv"]


def test_relatorio_sai_ordenado_por_loja_qualquer_que_seja_a_ordem_das_chaves(dagbag, saida):
    # In the stack, XComs live in Postgres JSONB, which does not keep key order.
    from comum.vendas import gravar_relatorio

    destino = gravar_relatorio({"savassi": 34232, "centro": 55400, "pampulha": 52760}, saida / "r.csv")
    assert destino.read_text() == RELATORIO_ESPERADO


def test_dia_anterior_aceita_o_datetime_comum_que_o_worker_entrega(dagbag):
    # In the stack's workers dag_run.run_after is a plain datetime, not pendulum's: under dag.test()
    # the type depends on what ran before in the process, so this is checked directly.
    from datetime import datetime

    from comum.vendas import dia_anterior

    seis_da_manha_em_sp = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    assert dia_anterior(seis_da_manha_em_sp, "America/Sao_Paulo") == DIA
    quase_meia_noite_em_sp = datetime(2026, 11, 25, 2, 30, tzinfo=UTC)  # 23:30 of the 24th
    assert dia_anterior(quase_meia_noite_em_sp, "America/Sao_Paulo") == "2026-11-23"
