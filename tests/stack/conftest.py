"""The `stack` tier: the course's own docker/compose.yaml, up for real, driven through its REST API.

One session-scoped stack (pytest-docker), brought up with `up --wait` and always torn down with
`down -v`; when a test fails, the tail of every service's log is printed at the end of the run.
Images come from AIRFLOW_IMAGE_NAME / POSTGRES_IMAGE / REDIS_IMAGE (set by `nox -s stack`, which
builds them offline) or, when those are unset, from the compose file's upstream defaults.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

RAIZ = Path(__file__).resolve().parents[2]
COMPOSE = RAIZ / "docker" / "compose.yaml"
# "celery", the full stack, or "leve", the lighter profile (docker/compose.leve.yaml, LocalExecutor).
PERFIL = os.environ.get("MODULO10_PERFIL", "celery")
# The readers' file(s) plus the tests' own additions (the PTAX API stand-in).
ARQUIVOS_COMPOSE = [
    COMPOSE,
    *([RAIZ / "docker" / "compose.leve.yaml"] if PERFIL == "leve" else []),
    Path(__file__).with_name("compose.testes.yaml"),
]
# What each profile runs: the lighter one has no Celery workers or Flower to test.
SO_CELERY = {"test_cli.py", "test_dags_na_stack.py", "test_notebook.py", "test_solucao_de_problemas.py",
             "test_workers.py"}
SO_LEVE = {"test_perfil_leve.py"}
PROJETO = "modulo10-testes"
PORTA_API = int(os.environ.setdefault("AIRFLOW_PORTA", "18080"))
PORTA_FLOWER = int(os.environ.setdefault("FLOWER_PORTA", "15555"))
URL_API = f"http://127.0.0.1:{PORTA_API}"
URL_FLOWER = f"http://127.0.0.1:{PORTA_FLOWER}"
URL_PTAX = f"http://127.0.0.1:{os.environ.setdefault('PTAX_PORTA', '18081')}"
os.environ.setdefault("PTAX_ENDERECO", "http://ptax-ficticia:8000")  # the workers' way to the stand-in
USUARIO = os.environ.setdefault("AIRFLOW_USUARIO", "airflow")
# The dedicated-queue worker is part of the run; two task slots per worker make a run of
# eight parallel tasks spread over the workers instead of fitting in one.
os.environ.setdefault("COMPOSE_PROFILES", "filas" if PERFIL == "celery" else "")
os.environ.setdefault("AIRFLOW_CONCORRENCIA_WORKER", "2")

# Fresh secrets for every run: the stack never sees a committed secret.
for variavel in ("POSTGRES_PASSWORD", "AIRFLOW_JWT_SECRET", "AIRFLOW_SENHA", "ARMAZEM_SENHA"):
    os.environ.setdefault(variavel, secrets.token_urlsafe(24))

_logs_para_mostrar: list[str] = []


def compose(*args: str, check: bool = True, timeout: float = 600, extras: tuple[Path, ...] = (),
            projeto: str = PROJETO, ambiente: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`docker compose` on the course's file (plus the tests' additions, plus `extras`, override
    files a test adds for a while) and the tests' project name, or `projeto`, a stack of its own;
    `ambiente` adds variables, as a reader's edited .env would."""
    arquivos = [opcao for arquivo in (*ARQUIVOS_COMPOSE, *extras) for opcao in ("-f", str(arquivo))]
    return subprocess.run(
        ["docker", "compose", *arquivos, "-p", projeto, *args], env={**os.environ, **(ambiente or {})},
        capture_output=True, text=True, check=check, timeout=timeout,
    )


@pytest.fixture(scope="session")
def docker_compose_file() -> list[str]:
    return [str(arquivo) for arquivo in ARQUIVOS_COMPOSE]


@pytest.fixture(scope="session")
def docker_compose_project_name() -> str:
    return PROJETO  # fixed, so tests and the docs can address containers by name


@pytest.fixture(scope="session")
def docker_setup() -> list[str]:
    return ["up --detach --wait --wait-timeout 300"]


@pytest.fixture(scope="session")
def docker_cleanup() -> list[str]:
    return ["down --volumes --timeout 30"]


def pytest_ignore_collect(collection_path, config):
    fora = SO_LEVE if PERFIL == "celery" else SO_CELERY
    return collection_path.name in fora or None


def pytest_runtest_makereport(item, call):
    if call.excinfo is not None and call.when in ("setup", "call"):
        item.session.config._stack_falhou = True


def _guardar_logs() -> None:
    estado = compose("ps", "--all", check=False).stdout
    logs = compose("logs", "--no-color", "--tail", "80", check=False).stdout
    _logs_para_mostrar.append(f"docker compose ps:\n{estado}\nlast lines of each service:\n{logs}")


def pytest_terminal_summary(terminalreporter):
    if _memoria["pico"]:
        terminalreporter.section(f"memory of the stack, profile {PERFIL}")
        terminalreporter.write_line(
            f"peak {_memoria['pico'] / 2**20:.0f} MiB: the sum over the project's containers of "
            f"`docker stats`, {_memoria['amostras']} samples taken one after another"
        )
    for texto in _logs_para_mostrar:
        terminalreporter.section("stack logs (a test failed)")
        terminalreporter.write_line(texto)


_memoria = {"pico": 0, "amostras": 0}
UNIDADES = {"B": 1, "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "kB": 10**3, "MB": 10**6, "GB": 10**9}


def _amostrar_memoria(parar: threading.Event) -> None:
    """Sum the memory of the project's containers, sample after sample, until told to stop."""
    while not parar.is_set():
        saida = subprocess.run(
            ["docker", "stats", "--no-stream", "--format", "{{.Name}} {{.MemUsage}}"],
            capture_output=True, text=True, check=False,
        ).stdout
        total = 0
        for nome, uso, *_ in (linha.split() for linha in saida.splitlines() if linha.strip()):
            if nome.startswith(f"{PROJETO}-"):
                numero, unidade = re.fullmatch(r"([\d.]+)([A-Za-z]+)", uso).groups()
                total += float(numero) * UNIDADES[unidade]
        _memoria["pico"] = max(_memoria["pico"], total)
        _memoria["amostras"] += 1


@pytest.fixture(scope="session")
def stack(request):
    """The running stack; if bringing it up fails, the logs are kept and the stack removed.

    While it runs, its memory is sampled; the peak is printed at the end of the run.
    """
    try:
        servicos = request.getfixturevalue("docker_services")
    except Exception:
        _guardar_logs()
        compose("down", "--volumes", "--timeout", "30", check=False)
        raise
    parar = threading.Event()
    amostrador = threading.Thread(target=_amostrar_memoria, args=(parar,), daemon=True)
    amostrador.start()
    yield servicos
    parar.set()
    amostrador.join(timeout=30)
    if getattr(request.config, "_stack_falhou", False):
        _guardar_logs()


def _token() -> str:
    # The auth manager's /auth/token endpoint is not part of the generated REST client.
    pedido = urllib.request.Request(
        f"{URL_API}/auth/token",
        data=json.dumps({"username": USUARIO, "password": os.environ["AIRFLOW_SENHA"]}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(pedido, timeout=30) as resposta:
        return json.load(resposta)["access_token"]


@pytest.fixture(scope="session")
def cliente(stack):
    """apache-airflow-client logged in as the stack's admin user."""
    import airflow_client.client as af

    configuracao = af.Configuration(host=URL_API, access_token=_token())
    with af.ApiClient(configuracao) as api:
        yield api


def esperar(condicao, *, ate: float, intervalo: float = 2.0, descricao: str):
    """Poll `condicao()` until it returns something truthy, or fail saying what was awaited."""
    limite = time.monotonic() + ate
    while True:
        resultado = condicao()
        if resultado:
            return resultado
        if time.monotonic() > limite:
            pytest.fail(f"timed out after {ate:.0f} s waiting for {descricao}")
        time.sleep(intervalo)


def dags_da_pasta() -> set[str]:
    """DAG ids the course ships: one per .py file of snippets/dags outside .airflowignore'd folders."""
    pasta = RAIZ / "snippets" / "dags"
    ignorados = [
        linha.strip().rstrip("/") for linha in (pasta / ".airflowignore").read_text().splitlines()
        if linha.strip() and not linha.startswith("#")
    ]
    return {
        arquivo.stem for arquivo in pasta.rglob("*.py")
        if not any(arquivo.relative_to(pasta).as_posix().startswith(f"{i}/") for i in ignorados)
    }


@pytest.fixture(scope="session")
def ptax(stack):
    """The control side of the PTAX API stand-in the workers call (tests/servidor_ptax.py)."""
    from servidor_ptax import Controle

    return Controle(URL_PTAX)


def armazem(sql: str) -> list[list[str]]:
    """Rows of a query on chapter 5's warehouse database, through psql in the postgres container."""
    saida = compose("exec", "-T", "postgres", "psql", "-U", "airflow", "-d", "armazem",
                    "-X", "-A", "-t", "-F", "|", "-v", "ON_ERROR_STOP=1", "-c", sql).stdout
    return [linha.split("|") for linha in saida.splitlines() if linha]


def disparar(cliente, dag_id: str, conf: dict) -> str:
    """Unpause the DAG and trigger a manual run (no logical date); returns its run id."""
    from airflow_client.client import DAGApi, DAGPatchBody, DagRunApi, TriggerDAGRunPostBody

    DAGApi(cliente).patch_dag(dag_id, DAGPatchBody(is_paused=False))
    corpo = TriggerDAGRunPostBody(logical_date=None, conf=conf)
    return DagRunApi(cliente).trigger_dag_run(dag_id, corpo).dag_run_id


def instancias(cliente, dag_id: str, run_id: str) -> list:
    from airflow_client.client import TaskInstanceApi

    return TaskInstanceApi(cliente).get_task_instances(dag_id, run_id).task_instances


def estado(ti) -> str:
    return str(ti.state.value) if ti.state else "none"  # None until the scheduler creates it


def esperar_fim(cliente, dag_id: str, run_id: str, ate: float) -> str:
    from airflow_client.client import DagRunApi

    def fim():
        estado = str(DagRunApi(cliente).get_dag_run(dag_id, run_id).state.value)
        return estado if estado in ("success", "failed") else None

    return esperar(fim, ate=ate, descricao=f"{dag_id} {run_id} to finish")


def doutor(*args: str, **ambiente: str) -> subprocess.CompletedProcess:
    """docker/doutor.py run as a reader runs it, on the tests' project (or `COMPOSE_PROJECT_NAME=`)."""
    env = {**os.environ, "COMPOSE_PROJECT_NAME": PROJETO,
           "COMPOSE_FILE": os.pathsep.join(str(a) for a in ARQUIVOS_COMPOSE), **ambiente}
    return subprocess.run([sys.executable, str(RAIZ / "docker" / "doutor.py"), *args], capture_output=True,
                          text=True, env=env, timeout=300, check=False)
