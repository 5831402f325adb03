#!/usr/bin/env python3
"""Doutor da stack do curso: confere, antes e depois do `docker compose up`, o que mais costuma
impedir a primeira DAG de rodar, e diz o que fazer.

    python3 docker/doutor.py          # da raiz do repositório (ou `python3 doutor.py` em docker/)

Antes do `up`: Docker e Compose, memória e disco do Docker, o .env, portas livres, o AIRFLOW_UID,
se o usuário dos contêineres consegue ler as DAGs e as quebras de linha dos arquivos que rodam nos
contêineres. Com a stack no ar: a saúde de cada serviço (e por que um parou), o login, os erros de
importação de DAG, os workers no Flower e o caminho do worker até a Task Execution API. Sai com 0
quando está tudo certo e com 1 quando achou algum problema; cada problema vem com a correção e o
endereço da entrada de "Solução de problemas" que o explica.

Só usa a biblioteca padrão do Python (3.8 ou mais novo) e o próprio `docker`.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import platform
import re
import shutil
import socket
import stat
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

PASTA = Path(__file__).resolve().parent
PAGINA = "docs/solucao-de-problemas.md"  # no site: Referência › Solução de problemas
GIB = 2**30
EXECUTADOS = ["snippets/cli/*.sh", "snippets/cron/*.sh", "docker/offline/*.sh", "docker/.env",
              "docker/.env.example", "curso", ".ci/*.sh", ".ci/run"]
SEGREDOS = ["AIRFLOW_SENHA", "POSTGRES_PASSWORD", "AIRFLOW_JWT_SECRET", "AIRFLOW_SECRET_KEY", "ARMAZEM_SENHA"]
AJUSTES = ["AIRFLOW_USUARIO", "AIRFLOW_UID", "AIRFLOW_PORTA", "FLOWER_PORTA", "COMPOSE_FILE"]
# Os serviços que rodam a cada `up`, fazem o seu trabalho e saem; os outros não deveriam parar.
DE_UMA_VEZ = {"airflow-init", "armazem-init"}
# Frases de erros de importação que denunciam uma DAG escrita para o Airflow 2.
AIRFLOW_2 = ["schedule_interval", "days_ago", "airflow.operators.dummy", "airflow.contrib",
             "execution_date", "airflow.utils.dates"]


class Consulta:
    """Os achados de uma consulta: uma linha "ok" por verificação e os problemas, cada um com a correção."""

    def __init__(self) -> None:
        self.problemas = 0

    def ok(self, texto: str) -> None:
        print(f"  ok    {texto}")

    def problema(self, texto: str, correcao: str, ancora: str | None = None) -> None:
        self.problemas += 1
        print(f"  ERRO  {texto}\n        como resolver: {correcao}")
        if ancora:
            print(f"        veja: {PAGINA}#{ancora}")


def rodar(*comando: str, timeout: float = 60) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(comando, capture_output=True, text=True, timeout=timeout, check=False)
    except (FileNotFoundError, subprocess.TimeoutExpired) as erro:
        return subprocess.CompletedProcess(comando, 127, "", str(erro))


def ler_env(arquivo: Path) -> dict[str, str]:
    """As variáveis do .env, com as do ambiente por cima, como o Compose faz."""
    valores = {}
    if arquivo.is_file():
        for linha in arquivo.read_text(encoding="utf-8").splitlines():
            if "=" in linha and not linha.lstrip().startswith("#"):
                chave, valor = linha.split("=", 1)
                valores[chave.strip()] = valor.strip()
    return {**valores, **{k: v for k, v in os.environ.items() if k in valores or k in SEGREDOS + AJUSTES}}


def versao(texto: str) -> tuple[int, ...]:
    partes = texto.strip().lstrip("v").split("-")[0].split(".")[:3]
    return tuple(int(parte) for parte in partes if parte.isdigit())


def verificar_docker(consulta: Consulta) -> bool:
    motor = rodar("docker", "version", "--format", "{{.Server.Version}}")
    if motor.returncode != 0:
        consulta.problema("o Docker não responde: " + (motor.stderr.strip().splitlines() or ["?"])[-1],
                          "abra o Docker Desktop (ou `sudo systemctl start docker`) e rode o doutor de novo",
                          ancora="docker-nao-responde")
        return False
    consulta.ok(f"Docker Engine {motor.stdout.strip()}")
    compose = rodar("docker", "compose", "version", "--short")
    if compose.returncode != 0 or versao(compose.stdout) < (2, 24):
        achado = compose.stdout.strip() or "ausente"
        consulta.problema(f"Docker Compose v2 {achado}: o curso pede o 2.24 ou mais novo",
                          "atualize o Docker Desktop, ou instale o pacote docker-compose-plugin",
                          ancora="docker-nao-responde")
    else:
        consulta.ok(f"Docker Compose {compose.stdout.strip()}")
    info = rodar("docker", "info", "--format", "{{.MemTotal}} {{.DockerRootDir}}")
    memoria, _, raiz = info.stdout.strip().partition(" ")
    if memoria.isdigit():
        if int(memoria) < 4 * GIB:
            consulta.problema(f"o Docker tem {int(memoria) / GIB:.1f} GiB de memória; a stack pede 4 GiB",
                              "dê mais memória ao Docker (Docker Desktop › Settings › Resources) ou use o "
                              "perfil leve: docker compose -f compose.yaml -f compose.leve.yaml up -d --wait")
        else:
            consulta.ok(f"memória do Docker: {int(memoria) / GIB:.1f} GiB")
    if raiz and Path(raiz).exists():
        livre = shutil.disk_usage(raiz).free
        if livre < 10 * GIB:
            consulta.problema(f"só {livre / GIB:.1f} GiB livres em {raiz}; imagens e volumes pedem uns 10",
                              "libere espaço (docker system prune apaga imagens e contêineres parados)")
        else:
            consulta.ok(f"disco do Docker: {livre / GIB:.0f} GiB livres")
    return True


def verificar_env(consulta: Consulta, env: dict[str, str], arquivo: Path) -> None:
    faltando = [s for s in SEGREDOS if not env.get(s)]
    if faltando and not arquivo.is_file():
        consulta.problema(f"não há {arquivo}", "na pasta docker/: cp .env.example .env, e troque os segredos")
        return
    padrao = [s for s in SEGREDOS if env.get(s, "").startswith("troque-")]
    if faltando:
        consulta.problema(f"faltam no .env: {', '.join(faltando)}",
                          "copie as linhas que faltam de .env.example para o .env")
    elif padrao:
        consulta.problema(f"segredos ainda com o valor de exemplo: {', '.join(padrao)}",
                          "troque cada um por um valor novo: "
                          "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'")
    else:
        consulta.ok(".env com todos os segredos definidos")
    if platform.system() == "Linux" and os.getuid() != 0:
        uid = env.get("AIRFLOW_UID", "50000")
        if uid != str(os.getuid()):
            consulta.problema(f"AIRFLOW_UID={uid} no .env, mas o seu usuário é {os.getuid()}",
                              f"ponha AIRFLOW_UID={os.getuid()} no .env, para os contêineres lerem "
                              "o repositório com as suas permissões")
        else:
            consulta.ok(f"AIRFLOW_UID={uid}, o seu usuário")


def legivel(caminho: Path, uid: int) -> bool:
    """Se um processo com esse uid e o grupo 0 (o usuário dos contêineres) lê o arquivo ou lista a pasta."""
    modo = caminho.stat()
    precisa = stat.S_IXOTH | stat.S_IROTH if caminho.is_dir() else stat.S_IROTH
    if modo.st_uid == uid:
        precisa <<= 6
    elif modo.st_gid == 0:
        precisa <<= 3
    return uid == 0 or modo.st_mode & precisa == precisa


def verificar_permissoes(consulta: Consulta, env: dict[str, str], raiz: Path) -> None:
    if platform.system() != "Linux":
        return  # no Linux, o contêiner vê os donos e as permissões dos arquivos como estão no disco
    uid = int(env.get("AIRFLOW_UID", "50000"))
    pasta = raiz / "snippets"
    if not pasta.is_dir():
        return
    ilegiveis = sorted(str(c.relative_to(raiz)) for c in [pasta, *pasta.rglob("*")]
                       if not c.is_symlink() and not legivel(c, uid))
    if ilegiveis:
        mostrar = ", ".join(ilegiveis[:5]) + (f" e mais {len(ilegiveis) - 5}" if len(ilegiveis) > 5 else "")
        consulta.problema(f"o usuário dos contêineres (uid {uid}) não consegue ler: {mostrar}",
                          f"ponha AIRFLOW_UID={os.getuid()} no .env (o seu uid) e rode docker compose up "
                          "-d --wait; ou libere a leitura: chmod -R a+rX snippets",
                          ancora="dag-sem-permissao")
    else:
        consulta.ok(f"o usuário dos contêineres (uid {uid}) lê tudo em snippets/")


def porta_livre(porta: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as teste:
        try:
            teste.bind(("127.0.0.1", porta))
        except OSError:
            return False
    return True


def perfil_leve(env: dict[str, str]) -> bool:
    """Se o COMPOSE_FILE, do .env ou do ambiente, inclui o compose.leve.yaml (que não sobe o Flower)."""
    arquivos = re.split(r"[:;]", env.get("COMPOSE_FILE", ""))
    return any(Path(arquivo).name == "compose.leve.yaml" for arquivo in arquivos)


def verificar_portas(consulta: Consulta, env: dict[str, str]) -> None:
    portas = [("AIRFLOW_PORTA", "8080")] + ([] if perfil_leve(env) else [("FLOWER_PORTA", "5555")])
    for nome, padrao in portas:
        porta = int(env.get(nome, padrao))
        if porta_livre(porta):
            consulta.ok(f"porta {porta} ({nome}) livre")
        else:
            consulta.problema(f"a porta {porta} ({nome}) já está em uso por outro programa",
                              f"feche o programa que a usa, ou escolha outra no .env ({nome}=...)",
                              ancora="porta-ocupada")


def verificar_quebras_de_linha(consulta: Consulta, raiz: Path) -> None:
    com_crlf = sorted(str(arquivo.relative_to(raiz)) for padrao in EXECUTADOS for arquivo in raiz.glob(padrao)
                      if arquivo.is_file() and b"\r\n" in arquivo.read_bytes())
    if com_crlf:
        consulta.problema(f"arquivos com quebras de linha do Windows (CRLF): {', '.join(com_crlf)}",
                          "apague cada um e recupere do Git (rm ARQUIVO && git checkout -- ARQUIVO; "
                          "o .gitattributes do curso garante LF); o .env: sed -i 's/\\r$//' docker/.env",
                          ancora="crlf-bad-interpreter")
    else:
        consulta.ok("scripts e .env com quebras de linha LF")


def compose(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return rodar("docker", "compose", "--project-directory", str(PASTA), *args, timeout=timeout)


def servicos_no_ar() -> list[dict]:
    """Os contêineres do projeto, inclusive os que pararam (o init que falhou, o que reinicia sem parar)."""
    saida = compose("ps", "--all", "--format", "json").stdout.strip()
    if not saida:
        return []
    # Compose 2.21+ prints one JSON object per line; older versions, a list.
    return json.loads(saida) if saida.startswith("[") else [json.loads(linha) for linha in saida.splitlines()]


def pedir(url: str, *, token: str | None = None, usuario: str | None = None, senha: str | None = None,
          corpo: dict | None = None):
    cabecalhos = {"Content-Type": "application/json"}
    if token:
        cabecalhos["Authorization"] = f"Bearer {token}"
    if usuario:
        cabecalhos["Authorization"] = "Basic " + base64.b64encode(f"{usuario}:{senha}".encode()).decode()
    dados = json.dumps(corpo).encode() if corpo is not None else None
    with urllib.request.urlopen(urllib.request.Request(url, data=dados, headers=cabecalhos), timeout=30) as r:
        return json.load(r)


def verificar_servico(consulta: Consulta, servico: dict) -> None:
    nome, saude = servico["Service"], servico.get("Health") or "sem healthcheck"
    if servico.get("State") == "running" and saude in ("healthy", "sem healthcheck"):
        consulta.ok(f"{nome}: {saude}")
        return
    inspecao = rodar("docker", "inspect", "--format", "{{json .State}}", servico["Name"])
    estado = json.loads(inspecao.stdout or "{}")
    codigo = estado.get("ExitCode")
    if servico.get("State") == "exited" and codigo == 0 and nome in DE_UMA_VEZ:
        consulta.ok(f"{nome}: terminou o trabalho (código 0)")
    elif estado.get("OOMKilled") or codigo == 137:
        porque = "por falta de memória (OOMKilled)" if estado.get("OOMKilled") else "com SIGKILL"
        consulta.problema(f"o serviço {nome} foi morto {porque}: código de saída 137",
                          "dê mais memória ao Docker (Docker Desktop › Settings › Resources; 4 GiB ou "
                          "mais) ou use o perfil leve (compose.leve.yaml)", ancora="exit-137")
    elif "password authentication failed" in compose("logs", "--no-color", "--tail", "30", nome).stdout:
        consulta.problema(f"o serviço {nome} parou (código {codigo}): o postgres recusou a senha",
                          "o volume do postgres guarda a senha do primeiro `up`: volte o POSTGRES_PASSWORD "
                          "antigo no .env, ou grave o novo no banco (ALTER USER airflow PASSWORD ...)",
                          ancora="senha-do-postgres")
    else:
        situacao = f"parou (código {codigo})" if servico.get("State") == "exited" else \
            f"está {servico.get('State')} ({saude})"
        consulta.problema(f"o serviço {nome} {situacao}",
                          f"veja o porquê em docker compose logs --tail 50 {nome}; depois de corrigir, "
                          "docker compose up -d --wait")


def verificar_importacao(consulta: Consulta, api: str, usuario: str, senha: str) -> None:
    try:
        token = pedir(f"{api}/auth/token", corpo={"username": usuario, "password": senha})["access_token"]
    except urllib.error.HTTPError as erro:
        if erro.code != 401:
            raise
        consulta.problema(f"a API ({api}) recusou o login de {usuario!r}: 401 Invalid credentials",
                          "use o usuário e a senha do .env (AIRFLOW_USUARIO e AIRFLOW_SENHA); depois de "
                          "mudar a senha no .env, rode docker compose up -d --wait", ancora="login-recusado")
        return
    erros = pedir(f"{api}/api/v2/importErrors", token=token)
    if not erros["total_entries"]:
        consulta.ok("nenhum erro de importação de DAG")
    for erro in erros["import_errors"]:
        ultima = erro["stack_trace"].strip().splitlines()[-1]
        do_airflow_2 = any(frase in erro["stack_trace"] for frase in AIRFLOW_2)
        consulta.problema(f"a DAG {erro['filename']} não importa: {ultima}",
                          "é uma DAG do Airflow 2: migre os imports e os parâmetros" if do_airflow_2
                          else "corrija o arquivo; o erro inteiro está em Dags › Erros de Importação de Dag",
                          ancora="dag-do-airflow-2" if do_airflow_2 else None)


# Segredos que precisam ser iguais em todos os serviços que os recebem: o que assina e o que confere.
# Para cada variável, o nome no .env e a entrada da página que explica o sintoma.
COMPARTILHADOS = {
    # O scheduler assina o token de cada task, e o API server o confere.
    "AIRFLOW__API_AUTH__JWT_SECRET": ("AIRFLOW_JWT_SECRET", "task-falha-sem-comecar"),
    # O API server assina os pedidos de log, e os workers e o triggerer os conferem.
    "AIRFLOW__API__SECRET_KEY": ("AIRFLOW_SECRET_KEY", "log-recusado-pelo-worker"),
}


def verificar_segredos_compartilhados(consulta: Consulta, servicos: list[dict]) -> None:
    """Compara, sem mostrá-los, os segredos de cada serviço com os do API server."""
    valores: dict[str, dict[str, str]] = {variavel: {} for variavel in COMPARTILHADOS}
    for servico in servicos:
        ambiente = json.loads(rodar("docker", "inspect", "--format", "{{json .Config.Env}}",
                                    servico["Name"]).stdout or "[]")
        for linha in ambiente:
            nome, _, valor = linha.partition("=")
            if nome in valores:
                valores[nome][servico["Service"]] = valor
    for variavel, (do_env, ancora) in COMPARTILHADOS.items():
        referencia = valores[variavel].get("airflow-apiserver")
        if referencia is None:
            continue  # sem o API server no ar, não há com o que comparar; a saúde dele já foi apontada
        diferentes = sorted(nome for nome, valor in valores[variavel].items() if valor != referencia)
        if diferentes:
            consulta.problema(f"{', '.join(diferentes)}: {variavel} diferente do airflow-apiserver",
                              f"todos os serviços precisam do mesmo valor: deixe-o só no .env ({do_env}) e "
                              "rode docker compose up -d --wait", ancora=ancora)
        else:
            consulta.ok(f"os serviços que recebem {variavel} usam o mesmo valor")


def verificar_stack(consulta: Consulta, servicos: list[dict], env: dict[str, str]) -> None:
    for servico in sorted(servicos, key=lambda s: s["Service"]):
        verificar_servico(consulta, servico)
    nomes = {s["Service"] for s in servicos if s.get("State") == "running"}

    api = f"http://127.0.0.1:{env.get('AIRFLOW_PORTA', '8080')}"
    usuario, senha = env.get("AIRFLOW_USUARIO", "airflow"), env.get("AIRFLOW_SENHA", "")
    try:
        verificar_importacao(consulta, api, usuario, senha)
    except (urllib.error.URLError, OSError, KeyError) as erro:
        consulta.problema(f"a API ({api}) não respondeu: {erro}",
                          "veja docker compose logs --tail 50 airflow-apiserver")

    if "flower" in nomes:
        flower = f"http://127.0.0.1:{env.get('FLOWER_PORTA', '5555')}"
        try:
            pedir(f"{flower}/api/workers?refresh=1", usuario=usuario, senha=senha)
            # Flower also remembers workers whose containers were recreated; count the ones alive.
            situacao = pedir(f"{flower}/api/workers?status=1", usuario=usuario, senha=senha)
            workers = [nome for nome, vivo in situacao.items() if vivo]
        except urllib.error.HTTPError as erro:
            consulta.problema(f"o Flower ({flower}) recusou o login de {usuario!r}: {erro}",
                              "o Flower usa o mesmo usuário e senha do .env que a interface",
                              ancora="login-recusado" if erro.code == 401 else None)
        except (urllib.error.URLError, OSError) as erro:
            consulta.problema(f"o Flower ({flower}) não respondeu: {erro}",
                              "veja docker compose logs --tail 50 flower")
        else:
            if workers:
                consulta.ok(f"o Flower vê {len(workers)} worker(s)")
            else:
                consulta.problema("o Flower não vê nenhum worker",
                                  "veja docker compose logs --tail 50 airflow-worker")

    verificar_segredos_compartilhados(consulta, [s for s in servicos if s["Service"] in nomes])
    executor = "airflow-worker" if "airflow-worker" in nomes else "airflow-scheduler"
    sonda = compose("exec", "-T", executor, "python", "-c",
                    "import urllib.request; from airflow.configuration import conf; "
                    "url = conf.get('core', 'execution_api_server_url').rstrip('/') + '/health'; "
                    "print(url, urllib.request.urlopen(url, timeout=10).status)")
    if sonda.returncode == 0:
        consulta.ok(f"{executor} alcança a Task Execution API ({sonda.stdout.split()[0]})")
    else:
        consulta.problema(f"{executor} não alcança a Task Execution API: "
                          + (sonda.stderr.strip().splitlines() or ["?"])[-1],
                          "AIRFLOW__CORE__EXECUTION_API_SERVER_URL deve ser "
                          "http://airflow-apiserver:8080/execution/", ancora="task-falha-sem-comecar")


def main() -> int:
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--raiz", type=Path, default=PASTA.parent,
                            help="a pasta do repositório do curso (padrão: a deste script)")
    raiz = argumentos.parse_args().raiz
    env = ler_env(PASTA / ".env")
    consulta = Consulta()

    print("Docker")
    docker_ok = verificar_docker(consulta)
    print("Configuração")
    verificar_env(consulta, env, PASTA / ".env")
    verificar_quebras_de_linha(consulta, raiz)
    verificar_permissoes(consulta, env, raiz)
    servicos = servicos_no_ar() if docker_ok else []
    if servicos:
        print("Stack no ar")
        verificar_stack(consulta, servicos, env)
    else:
        print("Antes do `up`")
        verificar_portas(consulta, env)

    if consulta.problemas:
        print(f"\n{consulta.problemas} problema(s) encontrado(s).")
        return 1
    proximo = "" if servicos else " Suba a stack (docker compose up -d --wait) e rode o doutor de novo."
    print(f"\nTudo certo.{proximo}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
