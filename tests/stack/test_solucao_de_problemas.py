"""Every entry of the troubleshooting page (docs/solucao-de-problemas.md) that the stack can meet,
reproduced on purpose: the test makes the reader's mistake, checks that what really appears is the
text the page quotes (read from the page, tests/solucao.py), that the doctor (docker/doutor.py)
reports it with the entry's anchor, and that the fix the page gives makes it go away.

A test that breaks a service does it through `restaurar`, which puts the stack back afterwards; a
test that drops a file in the DAG folder works on the tier's copy of the repository and removes it.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import urllib.error
import urllib.request
from datetime import UTC, datetime

import pytest
import solucao
from ferramentas import (
    ARQUIVOS_COMPOSE,
    PROJETO,
    RAIZ,
    SENHA,
    URL_API,
    USUARIO,
    compose,
    disparar,
    doutor,
    esperar,
    esperar_fim,
    instancias,
    log_da_tarefa,
)

pytestmark = pytest.mark.perfil("celery")

ENTRADA = "docs/solucao-de-problemas.md#"
MIGRACAO = RAIZ / "snippets" / "migracao"
# The page quotes a reader's stack: project "modulo10", the interface on 8080.
NOMES_DO_LEITOR = {"modulo10-": f"{PROJETO}-", "http://127.0.0.1:8080": URL_API}


def noutro_projeto(projeto: str, *args: str, **ambiente: str) -> subprocess.CompletedProcess:
    """`docker compose` on the course's files under another project name: a stack of its own."""
    return compose(*args, projeto=projeto, ambiente=ambiente, check=False)


@pytest.mark.entrada("docker-nao-responde")
def test_docker_que_nao_responde(stack):
    falso = "unix:///tmp/modulo10-docker-que-nao-existe.sock"
    mensagem = subprocess.run(["docker", "version"], capture_output=True, text=True,
                              env={**os.environ, "DOCKER_HOST": falso}, check=False).stderr
    solucao.confere(solucao.citacoes("docker-nao-responde"), mensagem, {"unix:///var/run/docker.sock": falso})

    resultado = doutor(DOCKER_HOST=falso)
    assert resultado.returncode == 1
    assert "o Docker não responde" in resultado.stdout
    assert ENTRADA + "docker-nao-responde" in resultado.stdout
    assert "o Docker não responde" not in doutor().stdout  # the fix: an engine that answers


@pytest.mark.entrada("porta-ocupada")
def test_porta_ocupada(stack):
    # Another project, with nothing running: the doctor checks as before `up`. A program holds the port.
    vazio = f"{PROJETO}-vazio"
    por_um_programa, por_um_conteiner = solucao.blocos("porta-ocupada")
    with socket.socket() as ocupante:
        ocupante.bind(("127.0.0.1", 0))
        ocupante.listen()
        porta = str(ocupante.getsockname()[1])
        try:
            subida = noutro_projeto(vazio, "up", "-d", "--no-deps", "airflow-apiserver", AIRFLOW_PORTA=porta)
        finally:
            noutro_projeto(vazio, "down", "--volumes", AIRFLOW_PORTA=porta)
        assert subida.returncode != 0
        trocas = {"modulo10-": f"{vazio}-", "8080": porta}
        motor = subprocess.run(["docker", "version", "--format", "{{.Server.Version}}"], capture_output=True,
                               text=True, check=True).stdout
        # The page quotes Docker 20.10 and says newer engines only keep the system's error at the end.
        solucao.confere(por_um_programa if motor.startswith("20.10.") else ["address already in use"],
                        subida.stderr, trocas)

        ocupada = doutor(AIRFLOW_PORTA=porta, COMPOSE_PROJECT_NAME=vazio)
        assert ocupada.returncode == 1
        solucao.confere([solucao.trecho("porta-ocupada", "a porta 8080")], ocupada.stdout, trocas)
        assert ENTRADA + "porta-ocupada" in ocupada.stdout
    livre = doutor(AIRFLOW_PORTA=porta, COMPOSE_PROJECT_NAME=vazio)  # the fix: the port is free again
    assert f"ok    porta {porta} (AIRFLOW_PORTA) livre" in livre.stdout

    # Held by another container: the tier's own stack publishes the interface on this port.
    da_stack = URL_API.rsplit(":", 1)[1]
    try:
        subida = noutro_projeto(vazio, "up", "-d", "--no-deps", "airflow-apiserver", AIRFLOW_PORTA=da_stack)
    finally:
        noutro_projeto(vazio, "down", "--volumes", AIRFLOW_PORTA=da_stack)
    assert subida.returncode != 0
    solucao.confere(por_um_conteiner, subida.stderr, {"8080": da_stack})
    # The page's way to find that container.
    quem = subprocess.run(["docker", "ps", "--filter", f"publish={da_stack}", "--format", "{{.Names}}"],
                          capture_output=True, text=True, check=True).stdout.split()
    assert quem == [f"{PROJETO}-airflow-apiserver-1"]


def test_o_doutor_do_perfil_leve_nao_confere_a_porta_do_flower(stack):
    # The light profile has no Flower: a program on FLOWER_PORTA is no problem there.
    vazio = f"{PROJETO}-vazio"
    leve = os.pathsep.join(str(a) for a in (*ARQUIVOS_COMPOSE, RAIZ / "docker" / "compose.leve.yaml"))
    with socket.socket() as ocupante:
        ocupante.bind(("127.0.0.1", 0))
        ocupante.listen()
        porta = str(ocupante.getsockname()[1])
        completa = doutor(FLOWER_PORTA=porta, COMPOSE_PROJECT_NAME=vazio)
        so_a_leve = doutor(FLOWER_PORTA=porta, COMPOSE_PROJECT_NAME=vazio, COMPOSE_FILE=leve)
    assert f"a porta {porta} (FLOWER_PORTA) já está em uso" in completa.stdout, completa.stdout
    assert "FLOWER_PORTA" not in so_a_leve.stdout, so_a_leve.stdout
    assert "AIRFLOW_PORTA" in so_a_leve.stdout


@pytest.mark.entrada("crlf-bad-interpreter")
def test_script_com_quebras_de_linha_do_windows(stack, tmp_path):
    raiz = tmp_path / "curso"
    script = raiz / "snippets" / "cli" / "exemplo.sh"
    script.parent.mkdir(parents=True)
    script.write_bytes(b"#!/usr/bin/env bash\r\necho oi\r\n")
    script.chmod(0o755)
    # A UTF-8 terminal, as the page's quote (with an English one without UTF-8, the quotes are straight).
    utf8 = {**os.environ, "LC_ALL": "C.UTF-8"}
    execucao = subprocess.run([str(script)], capture_output=True, text=True, env=utf8, check=False)
    assert execucao.returncode == 127
    solucao.confere(solucao.citacoes("crlf-bad-interpreter"), execucao.stderr)

    resultado = doutor("--raiz", str(raiz))
    assert resultado.returncode == 1
    assert "arquivos com quebras de linha do Windows (CRLF): snippets/cli/exemplo.sh" in resultado.stdout
    assert ENTRADA + "crlf-bad-interpreter" in resultado.stdout

    script.write_bytes(script.read_bytes().replace(b"\r\n", b"\n"))  # what git add --renormalize does
    assert subprocess.run([str(script)], capture_output=True, text=True, check=False).stdout == "oi\n"
    assert "ok    scripts e .env com quebras de linha LF" in doutor("--raiz", str(raiz)).stdout


@pytest.mark.entrada("senha-do-postgres")
def test_senha_do_postgres_trocada_depois_do_primeiro_up(stack):
    # A stack of its own: the first `up` creates the database volume with one password, the
    # reader then changes POSTGRES_PASSWORD in the .env and runs `up` again.
    projeto, antiga, nova = f"{PROJETO}-senha", secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    subida_quebrada, logs_do_armazem, logs_do_airflow = solucao.blocos("senha-do-postgres")
    trocas = {"modulo10-": f"{projeto}-"}
    try:
        primeira = noutro_projeto(projeto, "up", "-d", "--wait", "postgres", POSTGRES_PASSWORD=antiga)
        assert primeira.returncode == 0, primeira.stderr
        subida = noutro_projeto(projeto, "up", "-d", "--wait", "airflow-init", "armazem-init",
                                POSTGRES_PASSWORD=nova)
        assert subida.returncode != 0
        if f"{projeto}-airflow-init-1 exited" in subida.stderr:  # the alternative the page gives
            trocas["armazem-init-1 exited (2)"] = "airflow-init-1 exited (1)"
        solucao.confere(subida_quebrada, subida.stderr, trocas)
        esperar(lambda: "running" not in noutro_projeto(projeto, "ps", "--all", "--format", "{{.State}}",
                                                         "airflow-init").stdout,
                ate=120, descricao="airflow-init to stop too")
        solucao.confere(logs_do_armazem, noutro_projeto(projeto, "logs", "--no-color", "armazem-init").stdout)
        solucao.confere(logs_do_airflow, noutro_projeto(projeto, "logs", "--no-color", "airflow-init").stdout)

        relatorio = doutor(COMPOSE_PROJECT_NAME=projeto, POSTGRES_PASSWORD=nova).stdout
        airflow_init = solucao.trecho("senha-do-postgres", "o serviço airflow-init parou")
        solucao.confere([airflow_init, airflow_init.replace("airflow-init parou (código 1)",
                                                             "armazem-init parou (código 2)")], relatorio)
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


@pytest.mark.entrada("exit-137")
def test_servico_morto_por_falta_de_memoria_sai_com_137(restaurar):
    # Too little memory for what the service needs: here a limit on one container, on a laptop
    # the memory Docker Desktop was given. The kernel kills the process with SIGKILL: 128 + 9.
    subida_quebrada, ps, no_doutor = solucao.blocos("exit-137")
    subida = restaurar.reconfigurar("airflow-triggerer", {"mem_limit": "100m", "memswap_limit": "100m"})
    assert subida.returncode != 0
    trocas = dict(NOMES_DO_LEITOR)
    if "airflow-triggerer-1 exited (137)" in subida.stderr:  # the alternative the page gives
        trocas["is unhealthy"] = "exited (137)"
    solucao.confere(subida_quebrada, subida.stderr, trocas)
    def reiniciando():  # the restart itself takes a moment: the listing that caught it is the one checked
        listagem = compose("ps", "--all", "airflow-triggerer").stdout
        return listagem if "Restarting (137)" in listagem else None

    listagem = esperar(reiniciando, ate=60, intervalo=0.5,
                       descricao="docker compose ps to show the triggerer restarting with 137")
    solucao.confere(ps, listagem, NOMES_DO_LEITOR)
    conteiner = compose("ps", "--all", "--quiet", "airflow-triggerer").stdout.strip()
    estado = subprocess.run(["docker", "inspect", "--format", "{{json .State}}", conteiner],
                            capture_output=True, text=True, check=True).stdout
    assert json.loads(estado)["OOMKilled"] is True

    relatorio = doutor()
    assert relatorio.returncode == 1
    solucao.confere(no_doutor, relatorio.stdout)
    assert ENTRADA + "exit-137" in relatorio.stdout

    restaurar.desfazer()  # the fix: the memory it needs (here, the limit gone)
    assert "ok    airflow-triggerer: healthy" in doutor().stdout


@pytest.mark.entrada("login-recusado")
def test_login_recusado(stack):
    from capturas import CHROMIUM, preencher_login
    from playwright.sync_api import sync_playwright

    pedido = urllib.request.Request(f"{URL_API}/auth/token", headers={"Content-Type": "application/json"},
                                    data=json.dumps({"username": USUARIO, "password": "airflow"}).encode())
    with pytest.raises(urllib.error.HTTPError) as recusa:
        urllib.request.urlopen(pedido, timeout=30)
    assert recusa.value.code == 401
    [[resposta]] = solucao.blocos("login-recusado", "json")
    assert json.load(recusa.value) == json.loads(resposta)

    with sync_playwright() as playwright:
        navegador = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        pagina = navegador.new_page(locale="pt-BR")
        preencher_login(pagina, URL_API, USUARIO, "airflow")
        pagina.get_by_text("Invalid credentials").wait_for(timeout=30_000)
        solucao.confere(solucao.citacoes("login-recusado"), pagina.inner_text("body"))

        relatorio = doutor(AIRFLOW_SENHA="airflow")
        assert relatorio.returncode == 1
        solucao.confere([solucao.trecho("login-recusado", "a API (")], relatorio.stdout, NOMES_DO_LEITOR)
        assert ENTRADA + "login-recusado" in relatorio.stdout

        # The fix: the password of the .env (here, the one the stack was brought up with).
        preencher_login(pagina, URL_API, USUARIO, SENHA)
        pagina.locator("input[name=password]").wait_for(state="detached", timeout=30_000)
        navegador.close()
    assert "recusou o login" not in doutor().stdout


# A task that cannot tell the API server it started: the URL the worker calls (without the
# variable, Airflow's default is localhost, which in the worker's container is the worker itself),
# or a scheduler that signs the tasks' tokens with another secret than the API server checks.
# Each case: the service changed, the setting, the page's worker-log blocks, the doctor's quote.
FALHAS_ANTES_DE_COMECAR = {
    "url-da-api-de-execucao": (
        "airflow-worker", {"AIRFLOW__CORE__EXECUTION_API_SERVER_URL": "http://localhost:8080/execution/"},
        [1, 2], "airflow-worker não alcança",
    ),
    "segredo-jwt": (
        "airflow-scheduler", {"AIRFLOW__API_AUTH__JWT_SECRET": "outro-segredo-que-nao-o-do-api-server"},
        [3], "airflow-scheduler: AIRFLOW__API_AUTH__JWT_SECRET",
    ),
}


@pytest.mark.entrada("task-falha-sem-comecar")
@pytest.mark.parametrize("caso", FALHAS_ANTES_DE_COMECAR)
def test_task_sai_de_queued_para_failed_sem_comecar(cliente, restaurar, caso):
    servico, ambiente, blocos_do_worker, comeco_no_doutor = FALHAS_ANTES_DE_COMECAR[caso]
    blocos = solucao.blocos("task-falha-sem-comecar")
    no_doutor = solucao.trecho("task-falha-sem-comecar", comeco_no_doutor)
    dag_id, tarefa = "airflow_conceitos", "buscar_pedidos"
    assert restaurar.reconfigurar(servico, {"environment": ambiente}).returncode == 0

    run_id = disparar(cliente, dag_id, {})
    assert esperar_fim(cliente, dag_id, run_id, ate=180) == "failed"
    primeira = next(ti for ti in instancias(cliente, dag_id, run_id) if ti.task_id == tarefa)
    assert (str(primeira.state.value), primeira.start_date, primeira.try_number) == ("failed", None, 1)
    agendador = compose("logs", "--no-color", "airflow-scheduler").stdout
    solucao.confere(blocos[0], agendador, {"teste-url": run_id})
    logs_do_worker = compose("logs", "--no-color", "airflow-worker").stdout
    for indice in blocos_do_worker:
        solucao.confere(blocos[indice], logs_do_worker)

    relatorio = doutor()
    assert relatorio.returncode == 1
    solucao.confere([no_doutor], relatorio.stdout)
    assert ENTRADA + "task-falha-sem-comecar" in relatorio.stdout

    restaurar.desfazer()  # the fix: the compose file's settings
    assert comeco_no_doutor not in doutor().stdout
    run_id = disparar(cliente, dag_id, {})
    assert esperar_fim(cliente, dag_id, run_id, ate=180) == "success"


@pytest.mark.entrada("auth-manager-de-desenvolvimento")
def test_aviso_do_simple_auth_manager(stack):
    solucao.confere(solucao.citacoes("auth-manager-de-desenvolvimento"),
                    compose("logs", "--no-color", "airflow-apiserver").stdout)


@pytest.mark.entrada("log-recusado-pelo-worker")
def test_log_recusado_por_um_worker_com_outra_chave(cliente, restaurar):
    # One worker configured by hand with a key of its own, as a worker on another machine might be.
    outra = {"AIRFLOW__API__SECRET_KEY": "outra-chave-que-nao-a-do-api-server"}
    assert restaurar.reconfigurar("airflow-worker", {"environment": outra}).returncode == 0
    dag_id = "componentes_lotes_paralelos"
    run_id = disparar(cliente, dag_id, {"lotes": 1, "segundos_por_lote": 30})
    esperar(lambda: any(ti.task_id == "processar" and ti.state and ti.state.value == "running"
                        for ti in instancias(cliente, dag_id, run_id)), ate=120, descricao="the batch to run")
    solucao.confere(solucao.citacoes("log-recusado-pelo-worker"),
                    log_da_tarefa(dag_id, run_id, "processar", map_index=0))

    no_doutor = solucao.trecho("log-recusado-pelo-worker", "airflow-worker: AIRFLOW__API__SECRET_KEY")
    relatorio = doutor()
    assert relatorio.returncode == 1
    solucao.confere([no_doutor], relatorio.stdout)
    assert ENTRADA + "log-recusado-pelo-worker" in relatorio.stdout

    restaurar.desfazer()  # the fix: the compose file's key, the same for every service
    assert no_doutor not in doutor().stdout
    assert esperar_fim(cliente, dag_id, run_id, ate=120) == "success"


@pytest.mark.entrada("task-presa-na-fila")
def test_task_presa_numa_fila_sem_worker(cliente, restaurar):
    # Nobody serves the "pesada" queue, and the scheduler gives up after 20 s instead of 600.
    restaurar.alterou("airflow-worker-pesado")
    compose("stop", "airflow-worker-pesado")
    prazo = {"AIRFLOW__SCHEDULER__TASK_QUEUED_TIMEOUT": "20",
             "AIRFLOW__SCHEDULER__TASK_QUEUED_TIMEOUT_CHECK_INTERVAL": "10"}
    assert restaurar.reconfigurar("airflow-scheduler", {"environment": prazo}).returncode == 0
    dag_id = "componentes_fila_dedicada"
    run_id = disparar(cliente, dag_id, {})

    assert esperar_fim(cliente, dag_id, run_id, ate=300) == "failed"
    estados = {ti.task_id: ti.state.value if ti.state else None for ti in instancias(cliente, dag_id, run_id)}
    assert estados == {"preparar": "success", "calcular": "failed", "publicar": "upstream_failed"}
    agendador = compose("logs", "--no-color", "airflow-scheduler").stdout
    solucao.confere(solucao.citacoes("task-presa-na-fila"), agendador)
    # The messages the scheduler sent are still in the queue's Redis list: gone before the worker returns.
    compose("exec", "-T", "redis", "redis-cli", "DEL", "pesada")


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


@pytest.mark.entrada("dag-sem-permissao")
def test_dag_que_o_usuario_do_conteiner_nao_consegue_ler(cliente, na_pasta_de_dags):
    # A file only its owner reads (a clone made with umask 077), and containers that run as another uid.
    inicio = datetime.now(UTC)  # the real clock: the stack's own "last parsed" times follow it
    na_pasta_de_dags("ola_migracao.py", MIGRACAO / "ola_airflow3.py", modo=0o600)
    (linhas,) = solucao.blocos("dag-sem-permissao")
    esperar(lambda: not solucao.faltam(linhas, compose("logs", "--no-color", "airflow-dag-processor").stdout),
            ate=90, descricao="the DAG processor to log that it cannot read the file")
    assert dag_parseada(cliente, "ola_migracao", inicio) is None  # not in the UI,
    assert erro_de_importacao(cliente, "ola_migracao.py") is None  # and not an import error either

    relatorio = doutor()
    assert relatorio.returncode == 1
    solucao.confere([solucao.trecho("dag-sem-permissao", "o usuário dos contêineres")], relatorio.stdout)
    assert ENTRADA + "dag-sem-permissao" in relatorio.stdout

    subprocess.run(["chmod", "-R", "a+rX", "snippets"], cwd=RAIZ, check=True)  # the page's second fix
    esperar(lambda: dag_parseada(cliente, "ola_migracao", inicio), ate=120, descricao="the DAG to be parsed")
    assert "ok    o usuário dos contêineres (uid 50000) lê tudo em snippets/" in doutor().stdout


@pytest.mark.entrada("dag-do-airflow-2")
def test_dag_do_airflow_2(cliente, na_pasta_de_dags):
    arquivo = na_pasta_de_dags("ola_migracao.py", MIGRACAO / "ola_airflow2.py")
    erro = esperar(lambda: erro_de_importacao(cliente, "ola_migracao.py"), ate=120,
                   descricao="the import error of the Airflow 2 DAG")
    solucao.confere(solucao.citacoes("dag-do-airflow-2"), erro.stack_trace)

    relatorio = doutor()
    assert relatorio.returncode == 1
    ultima = erro.stack_trace.strip().splitlines()[-1]
    no_doutor = solucao.trecho("dag-do-airflow-2", "a DAG ola_migracao.py não importa")
    solucao.confere([no_doutor], relatorio.stdout)
    assert f"a DAG ola_migracao.py não importa: {ultima}" in relatorio.stdout
    assert ENTRADA + "dag-do-airflow-2" in relatorio.stdout

    migrada = datetime.now(UTC)
    shutil.copyfile(MIGRACAO / "ola_airflow3.py", arquivo)  # the fix: the migrated file
    esperar(lambda: dag_parseada(cliente, "ola_migracao", migrada), ate=120, descricao="the migrated DAG")
    assert erro_de_importacao(cliente, "ola_migracao.py") is None
    assert "ok    nenhum erro de importação de DAG" in doutor().stdout
