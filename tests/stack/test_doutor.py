"""The doctor (docker/doutor.py), run the way readers run it: it passes a healthy stack and, for each
failure the troubleshooting page lists with a `veja:` link, reproduces the reader's error, reports
it with the page's anchor, and passes again once the documented fix is applied."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys

from conftest import ARQUIVOS_COMPOSE, PERFIL, PROJETO, RAIZ

DOUTOR = RAIZ / "docker" / "doutor.py"
PAGINA = RAIZ / "docs" / "solucao-de-problemas.md"


def doutor(*args: str, **ambiente: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "COMPOSE_PROJECT_NAME": PROJETO,
           "COMPOSE_FILE": os.pathsep.join(str(a) for a in ARQUIVOS_COMPOSE), **ambiente}
    return subprocess.run([sys.executable, str(DOUTOR), *args], capture_output=True, text=True,
                          env=env, timeout=300, check=False)


def ancoras_da_pagina() -> set[str]:
    return set(re.findall(r"\{#([a-z0-9-]+)\}", PAGINA.read_text(encoding="utf-8")))


def test_toda_ancora_que_o_doutor_cita_existe_na_pagina():
    # The anchor is the last argument of `consulta.problema(...)`.
    citadas = set(re.findall(r',\s+"([a-z]+(?:-[a-z]+)+)"\)', DOUTOR.read_text(encoding="utf-8")))
    assert citadas and citadas <= ancoras_da_pagina()


def test_stack_saudavel_o_doutor_sai_com_zero(stack):
    resultado = doutor()
    assert resultado.returncode == 0, resultado.stdout + resultado.stderr
    executor = "airflow-worker" if PERFIL == "celery" else "airflow-scheduler"
    for linha in ["ok    airflow-scheduler: healthy", "ok    nenhum erro de importação de DAG",
                  f"ok    {executor} alcança a API de execução (http://airflow-apiserver:8080/execution/health)"]:
        assert linha in resultado.stdout, resultado.stdout
    if PERFIL == "celery":
        assert "ok    o Flower vê 2 worker(s)" in resultado.stdout


def test_docker_que_nao_responde(stack):
    falso = "unix:///tmp/modulo10-docker-que-nao-existe.sock"
    mensagem = subprocess.run(["docker", "version"], capture_output=True, text=True,
                              env={**os.environ, "DOCKER_HOST": falso}, check=False).stderr
    assert f"Cannot connect to the Docker daemon at {falso}. Is the docker daemon running?" in mensagem

    resultado = doutor(DOCKER_HOST=falso)
    assert resultado.returncode == 1
    assert "o Docker não responde" in resultado.stdout
    assert "docs/solucao-de-problemas.md#docker-nao-responde" in resultado.stdout
    assert "o Docker não responde" not in doutor().stdout  # the fix: an engine that answers


def test_porta_ocupada(stack):
    # Another project, with nothing running: the doctor checks as before `up`. A program holds the port.
    vazio = f"{PROJETO}-vazio"
    arquivos = [opcao for arquivo in ARQUIVOS_COMPOSE for opcao in ("-f", str(arquivo))]
    with socket.socket() as ocupante:
        ocupante.bind(("127.0.0.1", 0))
        ocupante.listen()
        porta = str(ocupante.getsockname()[1])
        ambiente = {**os.environ, "AIRFLOW_PORTA": porta}
        try:
            subida = subprocess.run(["docker", "compose", "-p", vazio, *arquivos, "up", "-d", "--no-deps",
                                     "airflow-apiserver"], capture_output=True, text=True, env=ambiente)
        finally:
            subprocess.run(["docker", "compose", "-p", vazio, *arquivos, "down", "--volumes"],
                           capture_output=True, env=ambiente)
        assert subida.returncode != 0
        assert f"127.0.0.1:{porta}" in subida.stderr, subida.stderr
        assert "address already in use" in subida.stderr, subida.stderr

        ocupada = doutor(AIRFLOW_PORTA=porta, COMPOSE_PROJECT_NAME=vazio)
        assert ocupada.returncode == 1
        assert f"a porta {porta} (AIRFLOW_PORTA) já está em uso" in ocupada.stdout
        assert "docs/solucao-de-problemas.md#porta-ocupada" in ocupada.stdout
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
    assert "docs/solucao-de-problemas.md#crlf-bad-interpreter" in resultado.stdout

    script.write_bytes(script.read_bytes().replace(b"\r\n", b"\n"))  # what git add --renormalize does
    assert subprocess.run([str(script)], capture_output=True, text=True, check=False).stdout == "oi\n"
    assert "ok    scripts e .env com quebras de linha LF" in doutor("--raiz", str(raiz)).stdout
