"""What a reader used to Airflow 2 types on their own computer: chapter 3's box "Airflow 2"
(docs/03-arquitetura/index.md) shows what the old `airflow webserver` answers in Airflow 3."""

from __future__ import annotations

import os
import subprocess

import saidas
from conftest import AIRFLOW


def test_airflow_webserver_aponta_o_api_server(tmp_path):
    execucao = subprocess.run([AIRFLOW, "webserver"], capture_output=True, text=True, timeout=300,
                              env={**os.environ, "AIRFLOW_HOME": str(tmp_path)})
    assert execucao.returncode == 2, execucao.stdout + execucao.stderr
    # The usage comes first, on stdout ("see help above"); the page quotes the verdict, on stderr.
    (veredito,) = [li for li in execucao.stderr.splitlines() if li.startswith("airflow command error:")]
    saidas.confere("arquitetura_airflow_webserver", veredito)
