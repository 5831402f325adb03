"""A DAG de `ola_airflow2.py`, migrada para o Airflow 3: importa do
`airflow.sdk` e do provider `standard`, agenda com `schedule=` e começa
numa data fixa, com fuso."""

from datetime import timedelta

import pendulum
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG


def dizer_ola():
    print("olá")


with DAG(
    "ola_migracao",
    schedule="@daily",
    start_date=pendulum.datetime(2026, 11, 1, tz="America/Sao_Paulo"),
    catchup=False,
    default_args={"retries": 1, "retry_delay": timedelta(minutes=5)},
) as dag:
    PythonOperator(task_id="dizer_ola", python_callable=dizer_ola)
