"""Every entry of the troubleshooting page (docs/solucao-de-problemas.md) that the stack can meet,
reproduced on purpose: the test makes the reader's mistake, asserts that the text the page quotes
is what really appears, that the doctor (docker/doutor.py) reports it with the entry's anchor, and
that the fix the page gives makes it go away.

Some tests break a service of the running stack for a while (an override file in `extras`) and
always put it back; they run before test_workers.py, which changes the stack for good.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import (
    PROJETO,
    RAIZ,
    URL_API,
    USUARIO,
    compose,
    disparar,
    doutor,
    esperar,
    esperar_fim,
    instancias,
)

ENTRADA = "docs/solucao-de-problemas.md#"
MIGRACAO = RAIZ / "snippets" / "migracao"
PASTA_DAGS = RAIZ / "snippets" / "dags"


def noutro_projeto(projeto: str, *args: str, **ambiente: str) -> subprocess.CompletedProcess:
    """`docker compose` on the course's files under another project name: a stack of its own."""
    return compose(*args, projeto=projeto, ambiente=ambiente, check=False)


def sobrescrita(pasta: Path, nome: str, servicos: dict) -> Path:
    """A compose override file (JSON is YAML) for a test to apply on top of the stack."""
    arquivo = pasta / nome
    arquivo.write_text(json.dumps({"services": servicos}), encoding="utf-8")
    return arquivo


def test_docker_que_nao_responde(stack):
    falso = "unix:///tmp/modulo10-docker-que-nao-existe.sock"
    mensagem = subprocess.run(["docker", "version"], capture_output=True, text=True,
                              env={**os.environ, "DOCKER_HOST": falso}, check=False).stderr
    assert f"Cannot connect to the Docker daemon at {falso}. Is the docker daemon running?" in mensagem

    resultado = doutor(DOCKER_HOST=falso)
    assert resultado.returncode == 1
    assert "o Docker não responde" in resultado.stdout
    assert ENTRADA + "docker-nao-responde" in resultado.stdout
    assert "o Docker não responde" not in doutor().stdout  # the fix: an engine that answers


def test_porta_ocupada(stack):
    # Another project, with nothing running: the doctor checks as before `up`. A program holds the port.
    vazio = f"{PROJETO}-vazio"
    with socket.socket() as ocupante:
        ocupante.bind(("127.0.0.1", 0))
        ocupante.listen()
        porta = str(ocupante.getsockname()[1])
        try:
            subida = noutro_projeto(vazio, "up", "-d", "--no-deps", "airflow-apiserver", AIRFLOW_PORTA=porta)
        finally:
            noutro_projeto(vazio, "down", "--volumes", AIRFLOW_PORTA=porta)
        assert subida.returncode != 0
        assert f"127.0.0.1:{porta}" in subida.stderr, subida.stderr
        assert "address already in use" in subida.stderr, subida.stderr

        ocupada = doutor(AIRFLOW_PORTA=porta, COMPOSE_PROJECT_NAME=vazio)
        assert ocupada.returncode == 1
        assert f"a porta {porta} (AIRFLOW_PORTA) já está em uso" in ocupada.stdout
        assert ENTRADA + "porta-ocupada" in ocupada.stdout
    livre = doutor(AIRFLOW_PORTA=porta, COMPOSE_PROJECT_NAME=vazio)  # the fix: the port is free again
    assert f"ok    porta {porta} (AIRFLOW_PORTA) livre" in livre.stdout


def test_script_com_quebras_de_linha_do_windows(stack, tmp_path):
    raiz = tmp_path / "curso"
    script = raiz / "snippets" / "cli" / "exemplo.sh"
    script.parent.mkdir(parents=True)
    script.write_bytes(b"#!/usr/bin/env bash\r\necho oi\r\n")
    script.chmod(0o755)
    execucao = subprocess.run([str(script)], capture_output=True, text=True, check=False)
    assert execucao.returncode == 127
    # env prints the carriage return as the two characters \r, between quotes that follow the locale.
    assert re.fullmatch(r"/usr/bin/env: .bash\\r.: No such file or directory\n"
                        r"/usr/bin/env: use -\[v\]S to pass options in shebang lines\n", execucao.stderr)

    resultado = doutor("--raiz", str(raiz))
    assert resultado.returncode == 1
    assert "arquivos com quebras de linha do Windows (CRLF): snippets/cli/exemplo.sh" in resultado.stdout
    assert ENTRADA + "crlf-bad-interpreter" in resultado.stdout

    script.write_bytes(script.read_bytes().replace(b"\r\n", b"\n"))  # what git add --renormalize does
    assert subprocess.run([str(script)], capture_output=True, text=True, check=False).stdout == "oi\n"
    assert "ok    scripts e .env com quebras de linha LF" in doutor("--raiz", str(raiz)).stdout


def test_senha_do_postgres_trocada_depois_do_primeiro_up(stack):
    # A stack of its own: the first `up` creates the database volume with one password, the
    # reader then changes POSTGRES_PASSWORD in the .env and runs `up` again.
    projeto, antiga, nova = f"{PROJETO}-senha", secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    mensagem = 'FATAL:  password authentication failed for user "airflow"'
    try:
        primeira = noutro_projeto(projeto, "up", "-d", "--wait", "postgres", POSTGRES_PASSWORD=antiga)
        assert primeira.returncode == 0, primeira.stderr
        subida = noutro_projeto(projeto, "up", "-d", "--wait", "airflow-init", "armazem-init",
                                POSTGRES_PASSWORD=nova)
        assert subida.returncode != 0
        saida = rf"container {projeto}-(airflow|armazem)-init-1 exited \([12]\)"
        assert re.search(saida, subida.stderr), subida.stderr
        esperar(lambda: "running" not in noutro_projeto(projeto, "ps", "--all", "--format", "{{.State}}",
                                                         "airflow-init").stdout,
                ate=120, descricao="airflow-init to stop too")
        for servico in ("airflow-init", "armazem-init"):
            assert mensagem in noutro_projeto(projeto, "logs", "--no-color", servico).stdout, servico

        relatorio = doutor(COMPOSE_PROJECT_NAME=projeto, POSTGRES_PASSWORD=nova).stdout
        assert "o serviço airflow-init parou (código 1): o postgres recusou a senha" in relatorio, relatorio
        assert "o serviço armazem-init parou (código 2): o postgres recusou a senha" in relatorio, relatorio
        assert ENTRADA + "senha-do-postgres" in relatorio

        # The fix that keeps the data: give the database user the new password, then `up` again.
        alteracao = noutro_projeto(projeto, "exec", "-T", "postgres", "psql", "-U", "airflow", "-c",
                                   f"ALTER USER airflow PASSWORD '{nova}'", POSTGRES_PASSWORD=nova)
        assert alteracao.stdout.strip() == "ALTER ROLE", alteracao.stderr
        # (`up --wait` naming a one-shot service fails even when it exits with 0: Compose 2.26.)
        refeita = noutro_projeto(projeto, "up", "-d", "airflow-init", "armazem-init", POSTGRES_PASSWORD=nova)
        assert refeita.returncode == 0, refeita.stderr
        esperar(lambda: set(noutro_projeto(projeto, "ps", "--all", "--format", "{{.State}}", "airflow-init",
                                           "armazem-init").stdout.split()) == {"exited"},
                ate=180, descricao="both init services to finish")
        relatorio = doutor(COMPOSE_PROJECT_NAME=projeto, POSTGRES_PASSWORD=nova).stdout
        for servico in ("airflow-init", "armazem-init"):
            assert f"ok    {servico}: terminou o trabalho (código 0)" in relatorio, relatorio
    finally:
        noutro_projeto(projeto, "down", "--volumes", "--timeout", "10", POSTGRES_PASSWORD=nova)


def test_servico_morto_por_falta_de_memoria_sai_com_137(stack, tmp_path):
    # Too little memory for what the service needs: here a limit on one container, on a laptop
    # the memory Docker Desktop was given. The kernel kills the process with SIGKILL: 128 + 9.
    apertado = sobrescrita(tmp_path, "pouca-memoria.json",
                           {"airflow-triggerer": {"mem_limit": "100m", "memswap_limit": "100m"}})
    try:
        subida = compose("up", "-d", "--wait", "--wait-timeout", "90", "--no-deps", "airflow-triggerer",
                         check=False, extras=(apertado,))
        assert subida.returncode != 0
        assert re.search(rf"container {PROJETO}-airflow-triggerer-1 (is unhealthy|exited \(137\))",
                         subida.stderr), subida.stderr
        esperar(lambda: "Restarting (137)" in compose("ps", "--all", "airflow-triggerer").stdout,
                ate=60, descricao="docker compose ps to show the triggerer restarting with 137")
        conteiner = compose("ps", "--all", "--quiet", "airflow-triggerer").stdout.strip()
        estado = subprocess.run(["docker", "inspect", "--format", "{{json .State}}", conteiner],
                                capture_output=True, text=True, check=True).stdout
        assert json.loads(estado)["OOMKilled"] is True

        relatorio = doutor()
        assert relatorio.returncode == 1
        assert ("o serviço airflow-triggerer foi morto por falta de memória (OOMKilled): código de saída 137"
                in relatorio.stdout), relatorio.stdout
        assert ENTRADA + "exit-137" in relatorio.stdout
    finally:
        # The fix: the memory it needs (here, the limit gone).
        compose("up", "-d", "--wait", "--no-deps", "airflow-triggerer")
    assert "ok    airflow-triggerer: healthy" in doutor().stdout


def test_login_recusado(stack):
    from capturas import CHROMIUM, preencher_login
    from playwright.sync_api import sync_playwright

    pedido = urllib.request.Request(f"{URL_API}/auth/token", headers={"Content-Type": "application/json"},
                                    data=json.dumps({"username": USUARIO, "password": "airflow"}).encode())
    with pytest.raises(urllib.error.HTTPError) as recusa:
        urllib.request.urlopen(pedido, timeout=30)
    assert recusa.value.code == 401
    assert json.load(recusa.value) == {"detail": "Invalid credentials"}

    with sync_playwright() as playwright:
        navegador = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        pagina = navegador.new_page(locale="pt-BR")
        preencher_login(pagina, URL_API, USUARIO, "airflow")
        pagina.get_by_text("Invalid credentials").wait_for(timeout=30_000)
        assert pagina.get_by_text("401 Unauthorized").is_visible()

        relatorio = doutor(AIRFLOW_SENHA="airflow")
        assert relatorio.returncode == 1
        recusado = f"a API ({URL_API}) recusou o login de {USUARIO!r}: 401 Invalid credentials"
        assert recusado in relatorio.stdout
        assert ENTRADA + "login-recusado" in relatorio.stdout

        # The fix: the password of the .env (here, the one the stack was brought up with).
        preencher_login(pagina, URL_API, USUARIO, os.environ["AIRFLOW_SENHA"])
        pagina.locator("input[name=password]").wait_for(state="detached", timeout=30_000)
        navegador.close()
    assert "recusou o login" not in doutor().stdout


# A task that cannot tell the API server it started: the URL the worker calls (without the
# variable, Airflow's default is localhost, which in the worker's container is the worker itself),
# or a scheduler that signs the tasks' tokens with another secret than the API server checks.
FALHAS_ANTES_DE_COMECAR = {
    "url-da-api-de-execucao": (
        "airflow-worker", {"AIRFLOW__CORE__EXECUTION_API_SERVER_URL": "http://localhost:8080/execution/"},
        "httpx.ConnectError: [Errno 99] Cannot assign requested address",
        "airflow-worker não alcança a API de execução: ",
    ),
    "segredo-jwt": (
        "airflow-scheduler", {"AIRFLOW__API_AUTH__JWT_SECRET": "outro-segredo-que-nao-o-do-api-server"},
        "airflow.sdk.api.client.ServerResponseError: Invalid auth token",
        "airflow-scheduler: AIRFLOW__API_AUTH__JWT_SECRET diferente do airflow-apiserver",
    ),
}


@pytest.mark.parametrize("caso", FALHAS_ANTES_DE_COMECAR)
def test_task_sai_de_queued_para_failed_sem_comecar(stack, cliente, tmp_path, caso):
    servico, ambiente, no_worker, no_doutor = FALHAS_ANTES_DE_COMECAR[caso]
    errado = sobrescrita(tmp_path, f"{caso}.json", {servico: {"environment": ambiente}})
    dag_id, tarefa = "airflow_conceitos", "buscar_pedidos"
    try:
        compose("up", "-d", "--wait", "--no-deps", servico, extras=(errado,))
        run_id = disparar(cliente, dag_id, {})
        assert esperar_fim(cliente, dag_id, run_id, ate=180) == "failed"
        primeira = next(ti for ti in instancias(cliente, dag_id, run_id) if ti.task_id == tarefa)
        assert (str(primeira.state.value), primeira.start_date, primeira.try_number) == ("failed", None, 1)
        agendador = compose("logs", "--no-color", "airflow-scheduler").stdout
        assert re.search(rf"reported that the task instance <TaskInstance: {dag_id}\.{tarefa} "
                         rf"{re.escape(run_id)} \[queued\] ti_id=[0-9a-f-]+> finished with state failed, "
                         r"but the task instance's state attribute is queued\.", agendador)
        assert no_worker in compose("logs", "--no-color", "airflow-worker").stdout

        relatorio = doutor()
        assert relatorio.returncode == 1
        assert no_doutor in relatorio.stdout, relatorio.stdout
        assert ENTRADA + "task-falha-sem-comecar" in relatorio.stdout
    finally:
        compose("up", "-d", "--wait", "--no-deps", servico)  # the fix: the compose file's settings
    assert no_doutor not in doutor().stdout
    run_id = disparar(cliente, dag_id, {})
    assert esperar_fim(cliente, dag_id, run_id, ate=180) == "success"


@pytest.fixture
def na_pasta_de_dags():
    """Put a file in the stack's DAG folder (the repository's snippets/dags, mounted read-only in
    the containers) as a reader would; it is always removed afterwards."""
    colocados: list[Path] = []

    def colocar(nome: str, origem: Path, modo: int = 0o644) -> Path:
        destino = PASTA_DAGS / nome
        shutil.copyfile(origem, destino)
        destino.chmod(modo)
        colocados.append(destino)
        return destino

    yield colocar
    for arquivo in colocados:
        arquivo.unlink(missing_ok=True)


def dag_parseada(cliente, dag_id: str, depois_de: datetime):
    from airflow_client.client import DAGApi
    from airflow_client.client.exceptions import NotFoundException

    try:
        dag = DAGApi(cliente).get_dag(dag_id)
    except NotFoundException:
        return None
    return dag if dag.last_parsed_time and dag.last_parsed_time > depois_de and not dag.is_stale else None


def erro_de_importacao(cliente, arquivo: str):
    from airflow_client.client import ImportErrorApi

    erros = ImportErrorApi(cliente).get_import_errors(limit=100).import_errors
    return next((e for e in erros if e.filename == arquivo), None)


def test_dag_que_o_usuario_do_conteiner_nao_consegue_ler(stack, cliente, na_pasta_de_dags):
    # A file only its owner reads (a clone made with umask 077), and containers that run as another uid.
    inicio = datetime.now(UTC)
    na_pasta_de_dags("ola_migracao.py", MIGRACAO / "ola_airflow3.py", modo=0o600)
    caminho = "/opt/airflow/snippets/dags/ola_migracao.py"
    linhas = [f"Error while examining {caminho}",
              f"PermissionError: [Errno 13] Permission denied: '{caminho}'"]

    def registrado():
        log = compose("logs", "--no-color", "airflow-dag-processor").stdout
        return all(linha in log for linha in linhas)

    esperar(registrado, ate=90, descricao="the DAG processor to log that it cannot read the file")
    assert dag_parseada(cliente, "ola_migracao", inicio) is None  # not in the UI,
    assert erro_de_importacao(cliente, "ola_migracao.py") is None  # and not an import error either

    relatorio = doutor()
    assert relatorio.returncode == 1
    ilegivel = "o usuário dos contêineres (uid 50000) não consegue ler: snippets/dags/ola_migracao.py"
    assert ilegivel in relatorio.stdout
    assert ENTRADA + "dag-sem-permissao" in relatorio.stdout

    subprocess.run(["chmod", "-R", "a+rX", "snippets"], cwd=RAIZ, check=True)  # the page's second fix
    esperar(lambda: dag_parseada(cliente, "ola_migracao", inicio), ate=120, descricao="the DAG to be parsed")
    assert "ok    o usuário dos contêineres (uid 50000) lê tudo em snippets/" in doutor().stdout


def test_dag_do_airflow_2(stack, cliente, na_pasta_de_dags):
    arquivo = na_pasta_de_dags("ola_migracao.py", MIGRACAO / "ola_airflow2.py")
    erro = esperar(lambda: erro_de_importacao(cliente, "ola_migracao.py"), ate=120,
                   descricao="the import error of the Airflow 2 DAG")
    ultima = erro.stack_trace.strip().splitlines()[-1]
    assert ultima.startswith("ImportError: cannot import name 'days_ago' from 'airflow.utils.dates' ("), (
        ultima)

    relatorio = doutor()
    assert relatorio.returncode == 1
    assert f"a DAG ola_migracao.py não importa: {ultima}" in relatorio.stdout
    assert ENTRADA + "dag-do-airflow-2" in relatorio.stdout

    migrada = datetime.now(UTC)
    shutil.copyfile(MIGRACAO / "ola_airflow3.py", arquivo)  # the fix: the migrated file
    esperar(lambda: dag_parseada(cliente, "ola_migracao", migrada), ate=120, descricao="the migrated DAG")
    assert erro_de_importacao(cliente, "ola_migracao.py") is None
    assert "ok    nenhum erro de importação de DAG" in doutor().stdout
