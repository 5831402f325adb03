"""Test tiers of the course, one nox session each (the README's authors' guide says what each proves).

`nox` runs every tier; `nox -s docs dags` is the authors' quick loop; `nox -s serve`
is the live preview. Each session installs exactly one dependency group of
pyproject.toml from uv.lock, so nothing depends on what is already on the machine.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv"
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True
nox.options.sessions = ["lint", "docs", "dags", "outras_datas", "leitor", "site", "stack"]

QUIET_MKDOCS = {"NO_MKDOCS_2_WARNING": "1"}

# Bytecode caches on, whatever the machine says: with PYTHONDONTWRITEBYTECODE set, every Python
# process of the tiers compiles Airflow's modules again, about 3 s of CPU before doing anything.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


def install_group(session: nox.Session, group: str) -> None:
    """Make the session's venv hold exactly `group` as locked in uv.lock."""
    session.run_install(
        "uv", "sync", "--locked", "--only-group", group,
        env={"UV_PROJECT_ENVIRONMENT": session.virtualenv.location},
        external=True,
    )


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff on Python, pt-BR spelling of pages and sample comments, YAML validity, samples that fit
    the site's code column."""
    install_group(session, "lint")
    session.run("ruff", "check", ".")
    # The troubleshooting page's tip: ruff's AIR3 rules flag the four Airflow 2 lines of its sample.
    session.run("ruff", "check", "--isolated", "--select", "AIR3", "snippets/migracao/ola_airflow3.py")
    achados = session.run("ruff", "check", "--isolated", "--select", "AIR3", "--output-format", "concise",
                          "snippets/migracao/ola_airflow2.py", success_codes=[1], silent=True)
    if achados is not None and achados.count(": AIR3") != 4:  # None: nox --install-only ran nothing
        session.error(f"ruff --select AIR3 should flag 4 lines of ola_airflow2.py:\n{achados}")
    session.run("yamllint", "--strict", "-c", "tests/lint/yamllint.yaml", ".")
    session.run("python", "tests/lint/ortografia.py")
    session.run("python", "tests/lint/largura.py")


@nox.session
def docs(session: nox.Session) -> None:
    """`mkdocs build --strict` (a pytest fixture, so its errors are reported like any failure),
    then what mkdocs cannot check: includes, section markers, orphan samples, inline code."""
    install_group(session, "docs")
    session.run("pytest", "tests/docs", *session.posargs)


@nox.session
def serve(session: nox.Session) -> None:
    """Live preview for authors at http://127.0.0.1:8000 (pages and snippets reload)."""
    install_group(session, "docs")
    session.run(
        "mkdocs", "serve", "--dev-addr", "127.0.0.1:8000", "--watch", "snippets",
        *session.posargs, env=QUIET_MKDOCS,
    )


@nox.session
def construir(session: nox.Session) -> None:
    """The site for publishing, in site/ (MODULO10_SITE_URL sets its address), with the course's PDF
    printed into it by Chromium (MODULO10_CHROMIUM, as for the site tier)."""
    install_group(session, "site")  # the docs group, plus Playwright to print the PDF
    session.run("mkdocs", "build", "--strict", "--site-dir", "site", *session.posargs, env=QUIET_MKDOCS)
    session.run("python", "tests/impressao.py", "site")


# The dags tier in parallel, one worker per core; a module's tests stay on one worker, sharing its fixtures.
PYTEST_DAGS = ["pytest", "tests/dags", "--numprocesses", "auto", "--dist", "loadfile"]


@nox.session
def dags(session: nox.Session) -> None:
    """Every DAG in snippets/ imported, checked and run with dag.test(), in as many processes as cores."""
    install_group(session, "dags")
    session.run(*PYTEST_DAGS, "--durations=10", *session.posargs)


# Instants the `dags` tier also runs at. The first is 23:40 of 31 December in São Paulo, when UTC is
# already in the next year; the second, a leap day.
OUTRAS_DATAS = ["2028-01-01T02:40:00+00:00", "2028-02-29T12:00:00+00:00"]


@nox.session
def outras_datas(session: nox.Session) -> None:
    """The `dags` tier again with the clock moved (time-machine, in every worker, from the instant in
    MODULO10_AGORA) and the tests in another random order (pytest-randomly shuffles every run of the
    tier): no test may hang on the day CI runs or on the tests before it."""
    install_group(session, "dags")
    for instante in OUTRAS_DATAS:
        session.run(*PYTEST_DAGS, *session.posargs, env={"MODULO10_AGORA": instante})


@nox.session
def leitor(session: nox.Session) -> None:
    """What a reader runs with Airflow on their own computer, each command a fresh process: the
    chapter 5 test suite, the troubleshooting entries of "DAGs do curso fora da stack", and what
    Airflow 2's `airflow webserver` answers."""
    install_group(session, "dags")
    session.run("pytest", "tests/leitor", "--durations=10", *session.posargs)


@nox.session
def site(session: nox.Session) -> None:
    """The built site in headless Chromium (Debian's; MODULO10_CHROMIUM to use another):
    console errors, navigation, search (its hit rate on tests/site/buscas.yaml), screenshots, quizzes and
    progress, copy, diagrams, notebooks, dark mode, axe, no external request."""
    install_group(session, "site")
    session.run("pytest", "tests/site", "--numprocesses", "auto", "--durations=5", "-rA", *session.posargs)


def registro_alcancavel() -> bool:
    """Can this machine pull the compose file's upstream images? (No registry answers here.)"""
    try:
        sonda = subprocess.run(["docker", "pull", "--quiet", "redis:7.0-bookworm"],
                               capture_output=True, timeout=300)
    except subprocess.TimeoutExpired:
        return False
    return sonda.returncode == 0


def imagens_da_stack(session: nox.Session) -> dict[str, str]:
    """Image variables for the compose file: MODULO10_IMAGENS=oficiais uses its upstream images, as a
    reader with internet does; =locais builds equivalent images here first (docker/offline/construir.py);
    unset, the upstream ones are used when a registry answers and local ones otherwise."""
    escolha = os.environ.get("MODULO10_IMAGENS", "auto")
    if escolha == "oficiais" or (escolha == "auto" and registro_alcancavel()):
        return {}
    arquivo = Path(session.create_tmp()) / "imagens.env"
    session.run("python", "docker/offline/construir.py", str(arquivo))
    return dict(linha.split("=", 1) for linha in arquivo.read_text().split())


# The stack tier's settings, given to docker compose the way a reader's .env gives them: ports away
# from the reader's own 8080 and 5555, the PTAX stand-in as the workers' PTAX API, the dedicated-queue
# worker up, and two task slots per worker, so eight parallel batches spread over two workers.
STACK_DE_TESTE = {
    "AIRFLOW_PORTA": "18080",
    "FLOWER_PORTA": "15555",
    "PTAX_PORTA": "18081",
    "PTAX_ENDERECO": "http://ptax-ficticia:8000",
    "AIRFLOW_USUARIO": "airflow",
    "AIRFLOW_CONCORRENCIA_WORKER": "2",
}
# Both turn on the readers' PTAX stand-in (chapter 5, step 6), which the workers call.
PERFIS = {"celery": {"COMPOSE_PROFILES": "filas,ptax-ficticia"},
          "leve": {"COMPOSE_PROFILES": "ptax-ficticia"}}


def copia_do_repositorio(session: nox.Session) -> Path:
    """A fresh copy of the repository for the stack tier to work on (and break): the tests drop files
    in its DAG folder and change their modes, the containers mount it. The copy of the last run is
    swept first; the checkout itself is never written."""
    raiz = Path(__file__).resolve().parent
    copia = Path(session.create_tmp()) / "repositorio"
    shutil.rmtree(copia, ignore_errors=True)

    def de_fora(pasta: str, nomes: list[str]) -> list[str]:
        # Tools' folders at the top, bytecode anywhere, and the reader's own files: docker/.env and the
        # chapter 5 challenge's snippets/dags/meu_desafio.py (tests/do_leitor.py says why).
        fora = {".git", ".nox", ".venv-curso", "site", ".cache"} if Path(pasta).resolve() == raiz else set()
        do_leitor = {".env"} if Path(pasta).name == "docker" else set()
        do_leitor |= {"meu_desafio.py"} if Path(pasta).resolve() == raiz / "snippets" / "dags" else set()
        return [n for n in nomes if n in fora | do_leitor or n == "__pycache__"]

    shutil.copytree(raiz, copia, ignore=de_fora)
    subprocess.run(["chmod", "-R", "a+rX", str(copia)], check=True)  # the containers' uid reads it all
    return copia


def stack_de_teste(perfil: str) -> dict[str, str]:
    """The variables of one profile's run, with secrets made fresh for it."""
    segredos = {nome: secrets.token_urlsafe(24)
                for nome in ("POSTGRES_PASSWORD", "AIRFLOW_JWT_SECRET", "AIRFLOW_SECRET_KEY", "AIRFLOW_SENHA",
                             "ARMAZEM_SENHA")}
    return {**STACK_DE_TESTE, **PERFIS[perfil], **segredos, "MODULO10_PERFIL": perfil}


@nox.session
def stack(session: nox.Session) -> None:
    """docker/compose.yaml up for real, on a copy of the repository: health, every DAG and CLI sample,
    Flower, workers, faults, the troubleshooting entries; then the lighter profile
    (docker/compose.leve.yaml) up, running chapter 5's pipeline."""
    install_group(session, "stack")
    imagens = imagens_da_stack(session)
    copia = copia_do_repositorio(session)
    # The captured outputs are read from, and regenerated into (--regerar-saidas), the checkout's pages.
    saidas = {"MODULO10_SAIDAS": str(Path("docs/_saidas").resolve())}
    for perfil in PERFIS:
        session.run("pytest", str(copia / "tests" / "stack"), "--rootdir", str(copia), "--durations=10",
                    "-rA", *session.posargs, env={**imagens, **stack_de_teste(perfil), **saidas})


@nox.session
def capturas(session: nox.Session) -> None:
    """The stack up, chapter 5's runs made, and the UI screenshots saved in docs/assets/capturas."""
    install_group(session, "stack")
    imagens = imagens_da_stack(session)
    copia = copia_do_repositorio(session)
    session.run(
        "pytest", str(copia / "tests" / "stack" / "test_pratica.py"), "--rootdir", str(copia),
        "-k", "capturas", "-rA", *session.posargs,
        env={**imagens, **stack_de_teste("celery"),
             "MODULO10_CAPTURAS": str(Path("docs/assets/capturas").resolve())},
    )
