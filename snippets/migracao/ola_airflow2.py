"""Uma DAG como as dos tutoriais do Airflow 2. No Airflow 3 ela não
importa: veja a versão migrada em `ola_airflow3.py` e a entrada "DAG do
Airflow 2" da solução de problemas."""

from datetime import timedelta

from airflow import DAG
from airflow.operators.python import PythonOperator
from airflow.utils.dates import days_ago


def dizer_ola():
    print("olá")


with DAG(
    "ola_migracao",
    schedule_interval="@daily",
    start_date=days_ago(1),
    default_args={"retries": 1, "retry_delay": timedelta(minutes=5)},
) as dag:
    PythonOperator(task_id="dizer_ola", python_callable=dizer_ola)
