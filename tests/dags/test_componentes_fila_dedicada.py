"""Chapter 4 (docs/04-componentes/workers.md): the heavy task goes to the "pesada" queue.

That only the dedicated worker runs it is proven in the stack (tests/stack/test_workers.py).
"""

from __future__ import annotations

from conftest import Estrutura

DAG_ID = "componentes_fila_dedicada"


def test_estrutura_e_filas(estrutura, dagbag):
    assert estrutura(DAG_ID) == Estrutura(
        tarefas=frozenset({"preparar", "calcular", "publicar"}),
        dependencias=frozenset({("preparar", "calcular"), ("calcular", "publicar")}),
        agenda="None",  # the timetable summary of schedule=None
        fuso="America/Sao_Paulo",
        tentativas_extras=dict.fromkeys(["preparar", "calcular", "publicar"], 0),
    )
    filas = {t.task_id: t.queue for t in dagbag.dags[DAG_ID].tasks}
    assert filas == {"preparar": "default", "calcular": "pesada", "publicar": "default"}


def test_calcula_os_primos(executar):
    resultado = executar(DAG_ID)
    assert resultado.estado == "success", resultado
    assert resultado.valores["calcular"]["primos"] == 17984  # primes below 200,000
    assert resultado.valores["publicar"].startswith("17984 primos calculados em ")
