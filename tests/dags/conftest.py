"""The `dags` tier's shared Airflow: one throwaway SQLite metadata DB and one DagBag per session.

Airflow reads its configuration when first imported, so the environment is set here,
before any test module or fixture imports it. Loading, checking and running every DAG
in one process pays Airflow's import cost once: about 6 s to import it, and about 10 s more for
the first `dag.test()`, which builds the in-process Execution API.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import sys
import tempfile
import threading
from contextlib import closing
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pendulum
import pytest
from do_leitor import do_leitor

RAIZ = Path(__file__).resolve().parents[2]
PASTA_DAGS = RAIZ / "snippets" / "dags"
PASTA_DADOS = RAIZ / "snippets" / "dados"
# The DAG files: the top level of snippets/dags (comum/ holds modules, and .airflowignore hides it).
ARQUIVOS_DAG = sorted(p for p in PASTA_DAGS.glob("*.py") if not do_leitor(p))
sys.path.insert(0, str(PASTA_DAGS))  # the samples' comum/ package, importable by tests as by the DAGs

_AIRFLOW_HOME = tempfile.mkdtemp(prefix="modulo10-dags-")
os.environ.update(
    {
        "AIRFLOW_HOME": _AIRFLOW_HOME,
        "AIRFLOW__CORE__DAGS_FOLDER": str(PASTA_DAGS),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{_AIRFLOW_HOME}/airflow.db",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
    }
)


# The `outras_datas` session runs the tier at another instant: from here on, Python's clock (time,
# datetime, pendulum, Airflow's utcnow) starts at MODULO10_AGORA and runs on from it.
if _AGORA := os.environ.get("MODULO10_AGORA"):
    import time_machine

    time_machine.travel(_AGORA, tick=True).start()


@dataclass
class Resultado:
    """What a `dag.test()` run left behind, in the terms the chapters use."""

    estado: str
    estados: dict[str, str]
    tentativas: dict[str, int]
    erros: dict[str, list[str]] = field(default_factory=dict)
    valores: dict[str, Any] = field(default_factory=dict)  # return values; a list for mapped tasks


@pytest.fixture(scope="session")
def dagbag():
    """Every DAG file of snippets/dags, parsed the way the DAG processor parses a bundle, and written
    to the metadata DB as the DAG processor writes it.

    Before every run, `dag.test()` parses the whole DAG folder again and writes it to the DB (so that
    sibling DAGs are there too): about 0.9 s of a 1.3 s run of a small DAG. No DAG file changes during
    a session, so that write would find nothing new: after this one, the tier skips it.
    """
    from airflow.dag_processing import dagbag as modulo
    from airflow.dag_processing.bundles.manager import DagBundlesManager
    from airflow.utils.db import initdb

    initdb()
    # File by file, not the folder at once: the reader's challenge file, which an author's checkout may
    # hold, is not one of the course's (tests/do_leitor.py).
    bag = modulo.BundleDagBag(dag_folder=PASTA_DAGS, bundle_path=PASTA_DAGS, bundle_name="dags-folder",
                              collect_dags=False)
    for arquivo in ARQUIVOS_DAG:
        bag.collect_dags(arquivo)
    DagBundlesManager().sync_bundles_to_db()
    modulo.sync_bag_to_db(bag, "dags-folder", None)
    with pytest.MonkeyPatch.context() as sem_reescrever:
        sem_reescrever.setattr(modulo, "sync_bag_to_db", lambda *args, **kwargs: None)
        yield bag
    shutil.rmtree(_AIRFLOW_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def _erros_por_tarefa() -> dict[str, list[str]]:
    """Each failed try's error, by task id, recorded by an Airflow listener."""
    from airflow.sdk._shared.listeners import hookimpl
    from airflow.sdk.listener import get_listener_manager

    erros: dict[str, list[str]] = {}

    class ColetorDeFalhas:
        @hookimpl
        def on_task_instance_failed(self, previous_state, task_instance, error):
            texto = f"{type(error).__name__}: {error}" if isinstance(error, BaseException) else str(error)
            erros.setdefault(task_instance.task_id, []).append(texto)

    get_listener_manager().add_listener(ColetorDeFalhas())
    return erros


@pytest.fixture
def executar(dagbag, _erros_por_tarefa):
    """Run a DAG end to end with `dag.test()` and return a `Resultado`.

    `data_logica` is the run's logical date and `run_after` the moment it was triggered (ISO 8601,
    with the offset); other keywords are its conf. Without `run_after` the run is triggered now, so a
    DAG that reads it needs one in its tests, or their outcome would depend on the day they run.
    `pasta` is the folder its file is read from: another one holds a changed copy of it.

    Each run gets the DAG as its file defines it, parsed anew (about 10 ms): `dag.test()` merges the
    run's conf into the Params of the tasks it runs, so a second run of the same object would see the
    first one's conf (a copy.deepcopy shares the Params too). In that fresh object the tries wait for
    nothing (no delay, no exponential backoff, which alone waits at least a second): the number of
    tries is the DAG's, only the waiting between them is skipped.
    """

    def _executar(dag_id: str, *, pasta: Path = PASTA_DAGS, data_logica: str | None = None,
                  run_after: str | None = None, **conf) -> Resultado:
        dag = dag_do_arquivo(dag_id, pasta)
        for tarefa in dag.tasks:
            tarefa.retry_delay, tarefa.retry_exponential_backoff = timedelta(0), 0
        _erros_por_tarefa.clear()
        execucao = dag.test(
            run_conf=conf,
            logical_date=pendulum.parse(data_logica) if data_logica else None,
            run_after=pendulum.parse(run_after) if run_after else None,
        )
        instancias = execucao.get_task_instances()
        return Resultado(
            valores=_valores_de_retorno(dag_id, execucao.run_id),
            estado=str(execucao.state),
            estados={ti.task_id: str(ti.state) for ti in instancias},
            tentativas={ti.task_id: ti.try_number for ti in instancias},
            erros={tarefa: list(erros) for tarefa, erros in _erros_por_tarefa.items()},
        )

    return _executar


def dag_do_arquivo(dag_id: str, pasta: Path = PASTA_DAGS):
    """The DAG parsed anew from its own file in `pasta`, as the DAG processor would: an object no run
    has touched."""
    from airflow.dag_processing.dagbag import BundleDagBag

    arquivo = pasta / f"{dag_id}.py"
    return BundleDagBag(dag_folder=arquivo, bundle_path=pasta, bundle_name="dags-folder").dags[dag_id]


def _valores_de_retorno(dag_id: str, run_id: str) -> dict[str, Any]:
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session

    with create_session() as sessao:
        linhas = sessao.scalars(XComModel.get_many(run_id=run_id, dag_ids=dag_id, key="return_value"))
        pares = sorted((x.task_id, x.map_index, XComModel.deserialize_value(x)) for x in linhas)
    valores: dict[str, Any] = {}
    for tarefa, indice, valor in pares:
        if indice < 0:
            valores[tarefa] = valor
        else:
            valores.setdefault(tarefa, []).append(valor)
    return valores


def eventos_do_asset(nome: str) -> list[dict]:
    """Every event of the named asset, oldest first: which DAG and task emitted it, and its extra."""
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.utils.session import create_session
    from sqlalchemy import select

    with create_session() as sessao:
        eventos = sessao.scalars(
            select(AssetEvent).join(AssetModel, AssetEvent.asset_id == AssetModel.id)
            .where(AssetModel.name == nome).order_by(AssetEvent.id)
        ).all()
        return [{"dag": e.source_dag_id, "task": e.source_task_id, "extra": e.extra} for e in eventos]


@dataclass(frozen=True)
class Estrutura:
    """A DAG's shape as a chapter describes it; compared whole, so pytest shows the diff."""

    tarefas: frozenset[str]
    dependencias: frozenset[tuple[str, str]]
    agenda: str | None
    fuso: str
    tentativas_extras: dict[str, int]


def arestas_da_ptax(cadeia: list[str]) -> frozenset[tuple[str, str]]:
    """Chapter 5's DAG edges: the chain of tasks, `criar_tabela` before `carregar`, and the day
    that `relatorio` takes from `extrair`."""
    extras = [("criar_tabela", "carregar"), ("extrair", "relatorio")]
    return frozenset([*zip(cadeia, cadeia[1:], strict=False), *extras])


@pytest.fixture
def estrutura(dagbag):
    """`estrutura(dag_id)` reads the parsed DAG's shape: tasks, edges, schedule, timezone, retries."""

    from airflow.serialization.encoders import coerce_to_core_timetable

    def _estrutura(dag_id: str) -> Estrutura:
        dag = dagbag.dags[dag_id]
        return Estrutura(
            tarefas=frozenset(dag.task_ids),
            dependencias=frozenset(
                (t.task_id, abaixo) for t in dag.tasks for abaixo in t.downstream_task_ids
            ),
            agenda=coerce_to_core_timetable(dag.timetable).summary,
            fuso=str(dag.timezone.name),
            tentativas_extras={t.task_id: t.retries for t in dag.tasks},
        )

    return _estrutura


@pytest.fixture(scope="session")
def servidor_ptax():
    """The PTAX API stand-in (docker/ptax-ficticia) in a thread, behind the `bcb_ptax` connection."""
    import servidor_ptax as modulo

    servidor = modulo.servidor()
    threading.Thread(target=servidor.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{servidor.server_address[1]}"
    os.environ["AIRFLOW_CONN_BCB_PTAX"] = json.dumps({"conn_type": "http", "host": url})
    yield modulo.Controle(url)
    servidor.shutdown()


@pytest.fixture
def ptax(servidor_ptax):
    """The stand-in with no fault left over from another test."""
    servidor_ptax.limpar()
    return servidor_ptax


class Armazem:
    """Chapter 5's warehouse for one test: a SQLite file behind the `armazem` connection."""

    def __init__(self, caminho: Path) -> None:
        self.caminho = caminho

    def consultar(self, sql: str, *parametros) -> list[tuple]:
        """Run one statement and commit; the rows it returns, if any."""
        with closing(sqlite3.connect(self.caminho)) as conexao, conexao:
            return conexao.execute(sql, parametros).fetchall()

    def alertas(self) -> list[tuple[str, int]]:
        """(task, try) of every alert row, in order; none before the first alert creates the table."""
        if not self.consultar("SELECT 1 FROM sqlite_master WHERE name = 'alerta_pipeline'"):
            return []
        return self.consultar("SELECT task_id, tentativa FROM alerta_pipeline ORDER BY rowid")

    def dias(self) -> list[str]:
        """Every loaded day, one entry per row: a duplicate would show twice."""
        return [dia for (dia,) in self.consultar("SELECT data_cotacao FROM cotacao_dolar ORDER BY 1")]


@pytest.fixture
def armazem(tmp_path, monkeypatch) -> Armazem:
    caminho = tmp_path / "armazem.db"
    monkeypatch.setenv("AIRFLOW_CONN_ARMAZEM", json.dumps({"conn_type": "sqlite", "host": str(caminho)}))
    return Armazem(caminho)
