"""What the `stack` tier's tests do to the stack: compose calls, waits, the REST API, the doctor.

The tier runs on a copy of the repository (`nox -s stack` makes it fresh every run), so RAIZ is that
copy: a test may drop files in its snippets/dags or change their modes without touching the checkout.
Its settings (ports, login, secrets, profile) come from the nox session, the way a reader's .env
gives them to docker compose.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest


def _do_nox(variavel: str) -> str:
    try:
        return os.environ[variavel]
    except KeyError:
        raise SystemExit(f"{variavel} is not set: run this tier with `./curso nox -s stack`") from None


RAIZ = Path(__file__).resolve().parents[2]
# "celery", the full stack, or "leve", the lighter profile (docker/compose.leve.yaml, LocalExecutor).
PERFIL = _do_nox("MODULO10_PERFIL")
# The readers' compose file(s) plus the tests' own additions (the PTAX API stand-in).
ARQUIVOS_COMPOSE = [
    RAIZ / "docker" / "compose.yaml",
    *([RAIZ / "docker" / "compose.leve.yaml"] if PERFIL == "leve" else []),
    RAIZ / "tests" / "stack" / "compose.testes.yaml",
]
# Fixed, so tests and the pages' commands address containers by name; every project whose name
# starts with it belongs to this tier (a stack of its own is PROJETO-something).
PROJETO = "modulo10-testes"
URL_API = f"http://127.0.0.1:{_do_nox('AIRFLOW_PORTA')}"
URL_FLOWER = f"http://127.0.0.1:{_do_nox('FLOWER_PORTA')}"
URL_PTAX = f"http://127.0.0.1:{_do_nox('PTAX_PORTA')}"
USUARIO = _do_nox("AIRFLOW_USUARIO")
SENHA = _do_nox("AIRFLOW_SENHA")
FINAIS = {"success", "failed"}


def compose(*args: str, check: bool = True, timeout: float = 600, extras: tuple[Path, ...] = (),
            projeto: str = PROJETO, ambiente: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`docker compose` on the course's files (plus `extras`, override files a test adds for a while)
    under the tier's project name, or `projeto`, a stack of its own; `ambiente` adds variables, as a
    reader's edited .env would."""
    arquivos = [opcao for arquivo in (*ARQUIVOS_COMPOSE, *extras) for opcao in ("-f", str(arquivo))]
    return subprocess.run(
        ["docker", "compose", *arquivos, "-p", projeto, *args], env={**os.environ, **(ambiente or {})},
        capture_output=True, text=True, check=check, timeout=timeout,
    )


def como_o_leitor(*comando: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """A command as a reader types it from the pages: in docker/, with no terminal, on the tier's
    stack; what it prints to stdout and stderr together, as a terminal shows it."""
    return subprocess.run(
        list(comando), cwd=RAIZ / "docker", stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, timeout=timeout,
        env={**os.environ, "COMPOSE_PROJECT_NAME": PROJETO},
    )


def sobrescrita(pasta: Path, nome: str, servicos: dict) -> Path:
    """A compose override file (JSON is YAML) that changes `servicos` when passed in `extras`."""
    arquivo = pasta / nome
    arquivo.write_text(json.dumps({"services": servicos}), encoding="utf-8")
    return arquivo


class Restauracao:
    """The services a test changed, and how to put them back: `up -d --wait` on them, with the
    compose files alone, recreates what an override changed, starts what was killed, scales the
    workers back to one and waits until all are healthy."""

    def __init__(self, pasta: Path) -> None:
        self.pasta = pasta
        self.servicos: set[str] = set()

    def alterou(self, *servicos: str) -> None:
        """Mark services the test is about to kill, scale or restart."""
        self.servicos.update(servicos)

    def reconfigurar(self, servico: str, definicao: dict) -> subprocess.CompletedProcess:
        """Recreate `servico` with `definicao` merged over its own (an override file); the `up` result."""
        self.alterou(servico)
        arquivo = sobrescrita(self.pasta, f"{servico}.json", {servico: definicao})
        return compose("up", "-d", "--wait", "--wait-timeout", "90", "--no-deps", servico, extras=(arquivo,),
                       check=False)

    def desfazer(self) -> None:
        if not self.servicos:
            return
        escala = ["--scale", "airflow-worker=1"] if "airflow-worker" in self.servicos else []
        compose("up", "-d", "--wait", "--no-deps", *escala, *sorted(self.servicos))
        self.servicos.clear()


def conteineres(servico: str, *, projeto: str = PROJETO) -> list[str]:
    """Ids of the service's running containers (a container's hostname is its id's first 12 characters)."""
    return compose("ps", "--quiet", servico, projeto=projeto).stdout.split()


def varrer_restos() -> None:
    """Remove what an interrupted earlier run left: containers, volumes and networks of this tier's
    projects. A stack left up would be reused half-broken, and its ports would clash."""
    for tipo, listar, campo in (("container", ["ps", "--all"], ".ID"), ("volume", ["volume", "ls"], ".Name"),
                                ("network", ["network", "ls"], ".ID")):
        linhas = subprocess.run(
            ["docker", *listar, "--filter", "label=com.docker.compose.project",
             "--format", f'{{{{{campo}}}}} {{{{.Label "com.docker.compose.project"}}}}'],
            capture_output=True, text=True, check=True,
        ).stdout.splitlines()
        restos = [linha.split()[0] for linha in linhas if linha.split()[-1].startswith(PROJETO)]
        if restos:
            remover = ["rm", "--force"] if tipo == "container" else [tipo, "rm"]
            subprocess.run(["docker", *remover, *restos], capture_output=True, check=False)


def registro_da_stack() -> str:
    """`ps` and the last lines of every service's log, for a failed run's report."""
    estado = compose("ps", "--all", check=False).stdout
    logs = compose("logs", "--no-color", "--tail", "80", check=False).stdout
    return f"docker compose ps:\n{estado}\nlast lines of each service:\n{logs}"


class Memoria:
    """The sum of the project's containers' memory (`docker stats`), sampled back to back in a thread;
    `pico` is the highest sum seen."""

    UNIDADES = {"B": 1, "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "kB": 10**3, "MB": 10**6, "GB": 10**9}

    def __init__(self) -> None:
        self.pico, self.amostras = 0.0, 0
        self._parar = threading.Event()
        self._linha = threading.Thread(target=self._amostrar, daemon=True)

    def __enter__(self) -> Memoria:
        self._linha.start()
        return self

    def __exit__(self, *erro) -> None:
        self._parar.set()
        self._linha.join(timeout=30)

    def _amostrar(self) -> None:
        while not self._parar.is_set():
            saida = subprocess.run(
                ["docker", "stats", "--no-stream", "--format", "{{.Name}} {{.MemUsage}}"],
                capture_output=True, text=True, check=False,
            ).stdout
            total = 0.0
            for nome, uso, *_ in (linha.split() for linha in saida.splitlines() if linha.strip()):
                if nome.startswith(f"{PROJETO}-"):
                    numero, unidade = re.fullmatch(r"([\d.]+)([A-Za-z]+)", uso).groups()
                    total += float(numero) * self.UNIDADES[unidade]
            self.pico = max(self.pico, total)
            self.amostras += 1


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


def token(usuario: str = USUARIO, senha: str = SENHA) -> str:
    """A REST API token from the auth manager's /auth/token (not part of the generated client)."""
    pedido = urllib.request.Request(
        f"{URL_API}/auth/token", data=json.dumps({"username": usuario, "password": senha}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(pedido, timeout=30) as resposta:
        return json.load(resposta)["access_token"]


def api(caminho: str) -> dict:
    """GET on the REST API (`/api/v2/...`), as the interface asks it, with the admin's token."""
    pedido = urllib.request.Request(f"{URL_API}{caminho}", headers={
        "Authorization": f"Bearer {token()}", "Accept": "application/json"})
    with urllib.request.urlopen(pedido, timeout=60) as resposta:
        return json.load(resposta)


def log_da_tarefa(dag_id: str, run_id: str, task_id: str, tentativa: int = 1, map_index: int = -1) -> str:
    """A try's log as the interface's Log tab reads it (the whole response, sources included, as text)."""
    caminho = (f"/api/v2/dags/{dag_id}/dagRuns/{quote(run_id, safe='')}/taskInstances/{task_id}"
               f"/logs/{tentativa}?full_content=true&map_index={map_index}")
    return json.dumps(api(caminho), ensure_ascii=False)


def dags_listadas(cliente) -> set[str]:
    from airflow_client.client import DAGApi

    return {d.dag_id for d in DAGApi(cliente).get_dags(limit=100).dags}


def esperar_dags(cliente, dag_ids: set[str]) -> None:
    """Wait until the DAG processor has parsed every one of `dag_ids`."""
    esperar(lambda: dag_ids <= dags_listadas(cliente), ate=120,
            descricao=f"the DAG processor to parse {sorted(dag_ids)}")


def disparar(cliente, dag_id: str, conf: dict, logical_date=None) -> str:
    """Unpause the DAG and trigger a run (a manual one, with no logical date, by default); its run id."""
    from airflow_client.client import DAGApi, DAGPatchBody, DagRunApi, TriggerDAGRunPostBody

    DAGApi(cliente).patch_dag(dag_id, DAGPatchBody(is_paused=False))
    corpo = TriggerDAGRunPostBody(logical_date=logical_date, conf=conf)
    return DagRunApi(cliente).trigger_dag_run(dag_id, corpo).dag_run_id


def instancias(cliente, dag_id: str, run_id: str) -> list:
    from airflow_client.client import TaskInstanceApi

    return TaskInstanceApi(cliente).get_task_instances(dag_id, run_id).task_instances


def estado(ti) -> str:
    return str(ti.state.value) if ti.state else "none"  # None until the scheduler creates it


def esperar_fim(cliente, dag_id: str, run_id: str, ate: float) -> str:
    """Wait for the run to finish; its final state."""
    from airflow_client.client import DagRunApi

    def fim():
        estado = str(DagRunApi(cliente).get_dag_run(dag_id, run_id).state.value)
        return estado if estado in FINAIS else None

    return esperar(fim, ate=ate, descricao=f"{dag_id} {run_id} to finish")


def armazem(sql: str) -> list[list[str]]:
    """Rows of a query on chapter 5's warehouse database, through psql in the postgres container."""
    saida = compose("exec", "-T", "postgres", "psql", "-U", "airflow", "-d", "armazem",
                    "-X", "-A", "-t", "-F", "|", "-v", "ON_ERROR_STOP=1", "-c", sql).stdout
    return [linha.split("|") for linha in saida.splitlines() if linha]


def alertas(run_id: str) -> list[list[str]]:
    """Chapter 5's alert rows of a run (task, try, error); none when no alert ever created the table."""
    if armazem("SELECT to_regclass('public.alerta_pipeline') IS NULL") == [["t"]]:
        return []
    return armazem(f"SELECT task_id, tentativa, erro FROM alerta_pipeline WHERE run_id = '{run_id}'")


def workers_no_flower() -> list[str]:
    """The Celery workers Flower sees alive (its own API, with the course login): Flower also
    remembers workers whose containers were removed or recreated earlier in the run."""
    import base64

    credenciais = base64.b64encode(f"{USUARIO}:{SENHA}".encode()).decode()

    def pedir(consulta: str):
        pedido = urllib.request.Request(f"{URL_FLOWER}/api/workers?{consulta}",
                                        headers={"Authorization": f"Basic {credenciais}"})
        with urllib.request.urlopen(pedido, timeout=30) as resposta:
            return json.load(resposta)

    pedir("refresh=1")
    return sorted(nome for nome, vivo in pedir("status=1").items() if vivo)


def doutor(*args: str, **ambiente: str) -> subprocess.CompletedProcess:
    """docker/doutor.py run as a reader runs it, on the tier's project (or `COMPOSE_PROJECT_NAME=`)."""
    env = {**os.environ, "COMPOSE_PROJECT_NAME": PROJETO,
           "COMPOSE_FILE": os.pathsep.join(str(a) for a in ARQUIVOS_COMPOSE), **ambiente}
    return subprocess.run([sys.executable, str(RAIZ / "docker" / "doutor.py"), *args], capture_output=True,
                          text=True, env=env, timeout=300, check=False)
