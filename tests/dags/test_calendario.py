"""Chapter 5, step 6: the PTAX business-day calendar (snippets/dags/comum/calendario.py and the
holiday list it reads). The list is data, so it is checked against the rules it was written from,
against ANBIMA's published dates, and against the PTAX stand-in's own quotes."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from comum import calendario
from conftest import RAIZ
from dateutil.easter import easter

ANOS = range(2026, 2036)
FIXOS = {(1, 1): "Confraternização Universal", (4, 21): "Tiradentes", (5, 1): "Dia do Trabalho",
         (9, 7): "Independência do Brasil", (10, 12): "Nossa Senhora Aparecida", (11, 2): "Finados",
         (11, 15): "Proclamação da República", (11, 20): "Dia Nacional de Zumbi e da Consciência Negra",
         (12, 25): "Natal"}
# The holidays that move with Easter, by their distance from it.
MOVEIS = {-48: "Carnaval", -47: "Carnaval", -2: "Paixão de Cristo", 60: "Corpus Christi"}


def test_o_arquivo_cobre_dez_anos_com_as_regras_de_hoje():
    esperado = {}
    for ano in ANOS:
        esperado |= {date(ano, mes, dia): nome for (mes, dia), nome in FIXOS.items()}
        esperado |= {easter(ano) + timedelta(days=d): nome for d, nome in MOVEIS.items()}
    assert calendario.feriados() == esperado


@pytest.mark.parametrize("dia", [
    # ANBIMA's list for 2026 and 2027: the days that move with Easter.
    "2026-02-16", "2026-02-17", "2026-04-03", "2026-06-04",
    "2027-02-08", "2027-02-09", "2027-03-26", "2027-05-27",
])
def test_os_feriados_moveis_sao_os_da_anbima(dia):
    assert calendario.sem_ptax(dia).startswith("feriado: ")


@pytest.mark.parametrize(("dia", "motivo"), [
    ("2026-11-02", "feriado: Finados"),
    ("2026-11-21", "fim de semana"),
    ("2026-11-20", "feriado: Dia Nacional de Zumbi e da Consciência Negra"),
    ("2027-02-10", None),  # Ash Wednesday: the market opens in the afternoon, and the PTAX comes out
    ("2026-12-24", None),
    ("2026-12-31", None),
])
def test_sem_ptax(dia, motivo):
    assert calendario.sem_ptax(dia) == motivo


def test_fora_do_arquivo_o_calendario_se_recusa_a_responder():
    with pytest.raises(calendario.CalendarioDesatualizado, match=r"2036-01-02 está fora .* \(2026 a 2035\)"):
        calendario.sem_ptax("2036-01-02")


def test_o_servidor_de_cotacoes_publica_nos_dias_uteis_do_calendario():
    cotacoes = json.loads((RAIZ / "docker" / "ptax-ficticia" / "ptax_2026.json").read_text())
    dia, fim = date(2026, 10, 1), date(2026, 11, 30)
    while dia <= fim:
        assert (dia.isoformat() in cotacoes) == (calendario.sem_ptax(dia.isoformat()) is None), dia
        dia += timedelta(days=1)
