"""Screenshots of the live stack's UI in Portuguese, for the chapters (docs/assets/capturas/).

Taken by test_pratica.py once chapter 5's runs have finished: every stack run proves the views
still render with the words the chapters quote; `./curso nox -s capturas` also saves the PNGs and
their manifest (MANIFESTO), which the docs tier checks every PNG a page shows against.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

CHROMIUM = Path(os.environ.get("MODULO10_CHROMIUM", "/usr/bin/chromium"))
TAMANHO = {"width": 1280, "height": 800}
# The 3.3 UI shows times in the browser's zone (until the user picks another): a Brazilian reader's.
FUSO = "America/Sao_Paulo"
MANIFESTO = "capturas.json"


def sha256(arquivo: Path) -> str:
    return hashlib.sha256(arquivo.read_bytes()).hexdigest()


def preencher_login(pagina, url_api: str, usuario: str, senha: str) -> None:
    """Open the UI, which sends a visitor to the login form, and sign in as a reader does."""
    pagina.goto(f"{url_api}/", wait_until="networkidle")
    pagina.fill("input[name=username]", usuario)
    pagina.fill("input[name=password]", senha)
    pagina.click("button[type=submit]")


def alargar_grade(pagina) -> None:
    """Drag the grid's edge to the right. At its default width the grid shows only its first two
    columns and cuts off the newest runs, the failed one among them; the UI keeps the new width for
    the next views."""
    borda = pagina.locator("[data-panel-resize-handle-id]").first.bounding_box()
    pagina.mouse.move(borda["x"] + 1, borda["y"] + 200)
    pagina.mouse.down()
    pagina.mouse.move(borda["x"] + 200, borda["y"] + 200, steps=10)
    pagina.mouse.up()


def abrir_acionar(pagina) -> None:
    """The DAG header's "Acionar" button, which opens the trigger dialog on "Execução Única"."""
    pagina.get_by_role("button", name="Acionar Dag", exact=True).first.click()


def abrir_formulario(pagina) -> None:
    """The trigger dialog of a paused DAG: step 2 says it comes with "Despausar ... ao acionar" ticked."""
    abrir_acionar(pagina)
    despausar = pagina.get_by_role("checkbox", name=re.compile("^Despausar"))
    despausar.wait_for(state="attached", timeout=30_000)
    assert despausar.is_checked()


def abrir_backfill(pagina) -> None:
    """The trigger dialog's "Backfill" choice. Step 3 says its "Máximo de Execuções Ativas" starts at 1
    and stops at the DAG's own max_active_runs (3), unlike the CLI's 10."""
    abrir_acionar(pagina)
    pagina.get_by_text("Backfill", exact=True).first.click()
    limite = pagina.locator("input[name=max_active_runs]")
    assert (limite.input_value(), limite.get_attribute("max")) == ("1", "3")


def abrir_limpar(pagina) -> None:
    """The run's clear button, at the top of the run page (an icon: its tooltip names the shortcut),
    which opens the "Limpar Execução do Dag" dialog."""
    pagina.get_by_role("button", name="Pressione shift+c para limpar").first.click()


def capturar(destino: Path, *, url_api: str, url_flower: str | None, usuario: str, senha: str,
             dag_id: str, run_falho: str) -> dict[str, Path]:
    """Log in as a reader would, open each view, wait for the words it must show, save a PNG, and list
    the PNGs with their hashes in the manifest.

    Without `url_flower` (the lighter profile has no Flower), only the Airflow UI is captured.
    """
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.is_file(), f"no Chromium at {CHROMIUM}: install Debian's or set MODULO10_CHROMIUM"
    destino.mkdir(parents=True, exist_ok=True)
    vistas = {
        # file name: (address, what to click there, text the view must show once it has loaded)
        "lista-de-dags.png": (f"{url_api}/dags?tags=capitulo-5", None, dag_id),
        # One failed run or several, as the other tests of the stack leave it: singular or plural.
        "grade-e-visao-geral.png": (f"{url_api}/dags/{dag_id}", alargar_grade,
                                    re.compile(r"Execu(ção|ções) Falhadas?")),
        "execucao-com-falha.png": (f"{url_api}/dags/{dag_id}/runs/{run_falho}", None, "validar"),
        "log-da-task-validar.png": (
            f"{url_api}/dags/{dag_id}/runs/{run_falho}/tasks/validar", None, "CotacaoInvalida"
        ),
        "dialogo-limpar.png": (f"{url_api}/dags/{dag_id}/runs/{run_falho}", abrir_limpar, "Tarefas Afetadas"),
        "formulario-acionar.png": (f"{url_api}/dags/pratica_primeira_versao", abrir_formulario,
                                   "Execução Única"),
        "dialogo-backfill.png": (f"{url_api}/dags/pratica_agendamento", abrir_backfill, "Intervalo de Data"),
    }
    salvas = {}
    with sync_playwright() as playwright:
        navegador = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        contexto = navegador.new_context(locale="pt-BR", timezone_id=FUSO, viewport=TAMANHO)
        pagina = contexto.new_page()
        preencher_login(pagina, url_api, usuario, senha)
        pagina.wait_for_url(lambda url: "/auth/login" not in url, timeout=30_000)
        for nome, (endereco, acao, texto) in vistas.items():
            pagina.goto(endereco, wait_until="networkidle")
            if acao:
                acao(pagina)
            pagina.get_by_text(texto).first.wait_for(timeout=30_000)
            pagina.wait_for_timeout(1000)  # charts, the grid and dialogs animate in
            pagina.screenshot(path=destino / nome)
            salvas[nome] = destino / nome

        if url_flower is not None:
            flower = navegador.new_context(locale="pt-BR", timezone_id=FUSO, viewport=TAMANHO,
                                           http_credentials={"username": usuario, "password": senha})
            pagina = flower.new_page()
            pagina.goto(f"{url_flower}/", wait_until="networkidle")
            pagina.get_by_text("celery@").first.wait_for(timeout=30_000)
            pagina.screenshot(path=destino / "flower-workers.png")
            salvas["flower-workers.png"] = destino / "flower-workers.png"
        navegador.close()
    manifesto = {"fuso": FUSO, "capturas": {nome: sha256(salvas[nome]) for nome in sorted(salvas)}}
    (destino / MANIFESTO).write_text(json.dumps(manifesto, indent=2, ensure_ascii=False) + "\n")
    return salvas
