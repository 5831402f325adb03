"""The `stack` tier's fixtures: the course's own docker/compose.yaml, up for real, driven through its
REST API; what tests do with it is in ferramentas.py, what they expect of each sample in
expectativas.py.

One session-scoped stack (pytest-docker), brought up with `up --wait` and always torn down with
`down -v`; when a test fails, the tail of every service's log is printed at the end of the run.
`nox -s stack` runs the tier twice, once per profile (MODULO10_PERFIL): a module marked
`pytest.mark.perfil("celery")` (or "leve") runs only in that one, an unmarked module in both.
A test that kills, scales, restarts or reconfigures a service asks for `restaurar`, whose teardown
puts the stack back as the compose files define it.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from expectativas import PAGINA_DO_AMBIENTE, PASTA_DAGS, tetos_de_memoria
from ferramentas import (
    ARQUIVOS_COMPOSE,
    PERFIL,
    PROJETO,
    URL_API,
    URL_PTAX,
    Memoria,
    Restauracao,
    como_o_leitor,
    compose,
    registro_da_stack,
    token,
    varrer_restos,
)

_relatorio: list[tuple[str, str]] = []  # (section title, text) for the end of the run
# The query docs/05-pratica/01-ambiente.md has the reader type to look at the warehouse.
CONSULTA_DO_ARMAZEM = ("docker", "compose", "exec", "postgres", "psql", "-U", "airflow", "-d", "armazem",
                       "-c", "SELECT * FROM cotacao_dolar")
_ARMAZEM_NOVO = pytest.StashKey[subprocess.CompletedProcess]()


def pytest_collection_modifyitems(config, items):
    fora = [item for item in items
            if (marca := item.get_closest_marker("perfil")) and PERFIL not in marca.args]
    if fora:
        config.hook.pytest_deselected(items=fora)
        items[:] = [item for item in items if item not in fora]


def pytest_terminal_summary(terminalreporter):
    for secao, texto in _relatorio:
        terminalreporter.section(secao)
        terminalreporter.write_line(texto)


@pytest.fixture(scope="session")
def docker_compose_file() -> list[str]:
    return [str(arquivo) for arquivo in ARQUIVOS_COMPOSE]


@pytest.fixture(scope="session")
def docker_compose_project_name() -> str:
    return PROJETO


@pytest.fixture(scope="session")
def docker_setup() -> list[str]:
    return ["up --detach --wait --wait-timeout 300"]


@pytest.fixture(scope="session")
def docker_cleanup() -> list[str]:
    return ["down --volumes --timeout 30"]


@pytest.fixture(scope="session")
def stack(request):
    """The running stack; if bringing it up fails, the logs are kept and the stack removed.

    While it runs, its memory is sampled; the peak is printed at the end of the run.
    """
    varrer_restos()
    try:
        servicos = request.getfixturevalue("docker_services")
    except Exception:
        _relatorio.append(("stack logs (the stack did not come up)", registro_da_stack()))
        compose("down", "--volumes", "--timeout", "30", check=False)
        raise
    # Chapter 5's first look at the warehouse answers as the page says only before any run of its DAGs
    # has created the table: asked now, as the stack comes up, whatever test runs first.
    request.config.stash[_ARMAZEM_NOVO] = como_o_leitor(*CONSULTA_DO_ARMAZEM)
    with Memoria() as memoria:
        yield servicos
    teto = tetos_de_memoria()[PERFIL]
    _relatorio.append((
        f"memory of the stack, profile {PERFIL}",
        f"peak {memoria.pico / 2**20:.0f} MiB: the sum over the project's containers of `docker stats`, "
        f"{memoria.amostras} samples taken one after another; the setup page says under {teto} GiB",
    ))
    if request.session.testsfailed:
        _relatorio.append(("stack logs (a test failed)", registro_da_stack()))
    if memoria.pico > teto * 2**30:
        pytest.fail(f"the stack's memory peaked at {memoria.pico / 2**30:.2f} GiB, above the {teto} GiB "
                    f"that {PAGINA_DO_AMBIENTE.name} gives for the {PERFIL} profile")


@pytest.fixture
def armazem_novo(stack, request) -> subprocess.CompletedProcess:
    """What docs/05-pratica/01-ambiente.md's psql query answered as the stack came up, before any run."""
    return request.config.stash[_ARMAZEM_NOVO]


@pytest.fixture(scope="session")
def cliente(stack):
    """apache-airflow-client logged in as the stack's admin user."""
    import airflow_client.client as af

    with af.ApiClient(af.Configuration(host=URL_API, access_token=token())) as api:
        yield api


@pytest.fixture(scope="session")
def ptax(stack):
    """The control side of the PTAX API stand-in the workers call (the ptax-ficticia service)."""
    from servidor_ptax import Controle

    return Controle(URL_PTAX)


@pytest.fixture
def restaurar(stack, tmp_path):
    """A test that kills, scales, restarts or reconfigures services says so through this fixture
    (ferramentas.Restauracao); its teardown brings those services back as the compose files define
    them, so the next test, whichever it is, meets the stack as it came up."""
    restauracao = Restauracao(tmp_path)
    yield restauracao
    restauracao.desfazer()


@pytest.fixture
def na_pasta_de_dags():
    """Put a file in the stack's DAG folder (the tier's copy of snippets/dags, mounted read-only in
    the containers) as a reader would; it is always removed afterwards."""
    colocados: list = []

    def colocar(nome: str, origem, modo: int = 0o644):
        destino = PASTA_DAGS / nome
        shutil.copyfile(origem, destino)
        destino.chmod(modo)
        colocados.append(destino)
        return destino

    yield colocar
    for arquivo in colocados:
        arquivo.unlink(missing_ok=True)
