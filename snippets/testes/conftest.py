"""As fixtures que testam as DAGs do capítulo 5 com o Airflow de verdade,
sem Docker nem scheduler.

Rode da raiz do repositório com `pytest snippets/testes`. O Airflow usa um
banco de metadados SQLite descartável; a API do Banco Central vira um
servidor HTTP local que responde o que o teste mandar, e o armazém vira um
arquivo SQLite. As conexões apontam para eles pelo ambiente, como na stack:
o código das DAGs não muda para ser testado.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import sys
import tempfile
import threading
from contextlib import closing
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

import pytest

_PADRAO = Path(__file__).resolve().parents[1] / "dags"
PASTA_DAGS = Path(os.environ.get("PASTA_DAGS", _PADRAO))
# Para os testes importarem comum/, como as DAGs fazem.
sys.path.insert(0, str(PASTA_DAGS))

# --8<-- [start:ambiente]
# O Airflow lê a configuração quando é importado: o ambiente vem antes de
# qualquer import dele.
_casa = tempfile.mkdtemp(prefix="airflow-testes-")
os.environ.update({
    "AIRFLOW_HOME": _casa,
    "AIRFLOW__CORE__DAGS_FOLDER": str(PASTA_DAGS),
    "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{_casa}/airflow.db",
})


@pytest.fixture(scope="session")
def dagbag():
    """Todas as DAGs da pasta, lidas uma vez, com o banco criado."""
    from airflow.models import DagBag
    from airflow.utils.db import initdb

    initdb()
    return DagBag(dag_folder=PASTA_DAGS)
# --8<-- [end:ambiente]


# --8<-- [start:nova_dag]
@pytest.fixture
def nova_dag(dagbag):
    """Lê a DAG do arquivo de novo a cada chamada: um objeto que nenhuma
    execução tocou.

    O `dag.test()` guarda a `run_conf` nos Params das tasks da DAG que ele
    executa; rodar duas vezes o mesmo objeto faria a segunda execução ver a
    conf da primeira.
    """
    from airflow.models import DagBag

    def ler(dag_id: str):
        return DagBag(dag_folder=PASTA_DAGS / f"{dag_id}.py").dags[dag_id]

    return ler
# --8<-- [end:nova_dag]


# --8<-- [start:falsos]
class ApiFalsa:
    """O que o servidor local responde a cada `GET`, e os caminhos que ele
    recebeu.

    `status` e `corpo` valem para qualquer dia; `por_dia` dá a um dia
    (AAAA-MM-DD) uma resposta só dele.
    """

    def __init__(self) -> None:
        self.status, self.corpo, self.pedidos = 200, '{"value": []}', []
        self.por_dia: dict[str, tuple[int, str]] = {}

    def responder(self, caminho: str) -> tuple[int, str]:
        self.pedidos.append(caminho)
        return self.por_dia.get(
            dia_do_pedido(caminho), (self.status, self.corpo)
        )

    def dias_pedidos(self) -> list[str]:
        """O dia de cada pedido, na ordem em que chegaram: um dia pedido
        duas vezes aparece duas."""
        return [dia_do_pedido(caminho) for caminho in self.pedidos]


def dia_do_pedido(caminho: str) -> str | None:
    """O dia de um pedido, como AAAA-MM-DD: a API o recebe como
    `@dataCotacao='MM-DD-AAAA'`."""
    achado = re.search(
        r"@dataCotacao='(\d\d)-(\d\d)-(\d{4})'", unquote(caminho)
    )
    return f"{achado[3]}-{achado[1]}-{achado[2]}" if achado else None


@pytest.fixture
def api_ptax(monkeypatch):
    api = ApiFalsa()

    class Tratador(BaseHTTPRequestHandler):
        def do_GET(self):
            status, corpo = api.responder(self.path)
            dados = corpo.encode()
            self.send_response(status)
            self.send_header("Content-Length", str(len(dados)))
            self.end_headers()
            self.wfile.write(dados)

        def log_message(self, *args):
            pass

    servidor = ThreadingHTTPServer(("127.0.0.1", 0), Tratador)
    threading.Thread(target=servidor.serve_forever, daemon=True).start()
    endereco = f"http://127.0.0.1:{servidor.server_port}"
    monkeypatch.setenv(
        "AIRFLOW_CONN_BCB_PTAX",
        json.dumps({"conn_type": "http", "host": endereco}),
    )
    yield api
    servidor.shutdown()


@pytest.fixture
def armazem(tmp_path, monkeypatch):
    """O armazém num SQLite do teste.

    Devolve uma função que executa um SQL, confirma e devolve as linhas.
    """
    caminho = tmp_path / "armazem.db"
    monkeypatch.setenv(
        "AIRFLOW_CONN_ARMAZEM",
        json.dumps({"conn_type": "sqlite", "host": str(caminho)}),
    )

    def consultar(sql: str) -> list[tuple]:
        with closing(sqlite3.connect(caminho)) as conexao, conexao:
            return conexao.execute(sql).fetchall()

    return consultar
# --8<-- [end:falsos]
