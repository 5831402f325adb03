"""The tier's clock: the machine's, or the instant the `outras_datas` session asked for
(MODULO10_AGORA, set in tests/dags/conftest.py). A run that meant to move the clock and did not
would prove nothing about other dates, so it fails here."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pendulum


def test_o_relogio_e_o_que_a_sessao_pediu(dagbag, tmp_path):
    from airflow.sdk import timezone

    marca = tmp_path / "agora"
    marca.touch()
    do_sistema = datetime.fromtimestamp(marca.stat().st_mtime, UTC)  # the kernel's clock, never moved
    pedido = os.environ.get("MODULO10_AGORA")
    inicio = pendulum.parse(pedido) if pedido else do_sistema
    # The session has been running for a while since the instant it asked for: less than an hour.
    for relogio in (pendulum.now("UTC"), datetime.now(UTC), timezone.utcnow()):
        assert inicio - timedelta(minutes=1) <= relogio < inicio + timedelta(hours=1), relogio
