"""Test tiers of the course, one nox session each (see DESIGN.md).

`nox` runs every tier; `nox -s docs dags` is the authors' quick loop; `nox -s serve`
is the live preview. Each session installs exactly one dependency group of
pyproject.toml from uv.lock, so nothing depends on what is already on the machine.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv"
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True
nox.options.sessions = ["lint", "docs", "dags", "site", "stack"]

QUIET_MKDOCS = {"NO_MKDOCS_2_WARNING": "1"}


def install_group(session: nox.Session, group: str) -> None:
    """Make the session's venv hold exactly `group` as locked in uv.lock."""
    session.run_install(
        "uv", "sync", "--locked", "--only-group", group,
        env={"UV_PROJECT_ENVIRONMENT": session.virtualenv.location},
        external=True,
    )


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff on Python, pt-BR spelling of pages and sample comments, YAML validity."""
    install_group(session, "lint")
    session.run("ruff", "check", ".")
    # The troubleshooting page's tip: ruff's AIR3 rules flag the four Airflow 2 lines of its sample.
    session.run("ruff", "check", "--isolated", "--select", "AIR3", "snippets/migracao/ola_airflow3.py")
    achados = session.run("ruff", "check", "--isolated", "--select", "AIR3", "--output-format", "concise",
                          "snippets/migracao/ola_airflow2.py", success_codes=[1], silent=True)
    if achados.count(": AIR3") != 4:
        session.error(f"ruff --select AIR3 should flag 4 lines of ola_airflow2.py:\n{achados}")
    session.run("yamllint", "--strict", "-c", "tests/lint/yamllint.yaml", ".")
    session.run("python", "tests/lint/ortografia.py")


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
    """The site for publishing, in site/ (MODULO10_SITE_URL sets its address)."""
    install_group(session, "docs")
    session.run("mkdocs", "build", "--strict", "--site-dir", "site", *session.posargs, env=QUIET_MKDOCS)


@nox.session
def dags(session: nox.Session) -> None:
    """Every DAG in snippets/ imported, checked and run with dag.test() in one process."""
    install_group(session, "dags")
    session.run("pytest", "tests/dags", "--durations=10", *session.posargs)


@nox.session
def site(session: nox.Session) -> None:
    """The built site in headless Chromium (Debian's; MODULO10_CHROMIUM to use another):
    console errors, navigation, search, copy, diagrams, notebooks, dark mode, axe, no external request."""
    install_group(session, "site")
    session.run("pytest", "tests/site", "--durations=5", "-rA", *session.posargs)


def registro_alcancavel() -> bool:
    """Can this machine pull the compose file's upstream images? (No registry answers here.)"""
    try:
        sonda = subprocess.run(["docker", "pull", "--quiet", "redis:7.2-bookworm"],
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


@nox.session
def stack(session: nox.Session) -> None:
    """docker/compose.yaml up for real: health, every DAG and CLI sample, Flower, workers, faults;
    then the lighter profile (docker/compose.leve.yaml) up, running chapter 5's pipeline."""
    install_group(session, "stack")
    imagens = imagens_da_stack(session)
    for perfil in ("celery", "leve"):
        session.run("pytest", "tests/stack", "--durations=10", "-rA", *session.posargs,
                    env={**imagens, "MODULO10_PERFIL": perfil})


@nox.session
def capturas(session: nox.Session) -> None:
    """The stack up, chapter 5's runs made, and the UI screenshots saved in docs/assets/capturas."""
    install_group(session, "stack")
    imagens = imagens_da_stack(session)
    session.run(
        "pytest", "tests/stack/test_pratica.py", "-k", "capturas", "-rA", *session.posargs,
        env={**imagens, "MODULO10_CAPTURAS": str(Path("docs/assets/capturas").resolve())},
    )
