"""A extração da PTAX na versão final do capítulo 5: um operador
próprio, porque ele espera.

A PTAX sai por volta das 13h10 de Brasília, às vezes horas depois. Uma
resposta sem cotação num dia útil quer dizer "ainda não saiu", não
"feriado": o operador consulta de novo a cada intervalo, sem ocupar um
worker entre uma consulta e outra (a espera fica com o triggerer), e
falha, com alerta, se o prazo da execução passar sem publicação.
Feriados e fins de semana vêm do calendário, sem consulta à API.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pendulum
from airflow.providers.http.hooks.http import HttpHook
from airflow.providers.standard.triggers.temporal import DateTimeTrigger
from airflow.sdk import BaseOperator
from airflow.sdk.exceptions import AirflowFailException
from comum import calendario, ptax


class PublicacaoAtrasada(AirflowFailException):
    """O prazo da execução passou sem PTAX publicada. Falha sem novas
    tentativas: esperar já foi feito."""


# --8<-- [start:operador]
class ExtrairPtax(BaseOperator):
    """Pede à API a PTAX do dia da execução; se ela ainda não saiu,
    espera e pergunta de novo.

    Devolve `{"dia", "resposta", "sem_ptax"}`: o texto da resposta para
    a validação, ou, num fim de semana ou feriado, o motivo em
    `sem_ptax` e nenhuma consulta.
    """

    template_fields = ("minutos_de_prazo", "minutos_entre_consultas")

    def __init__(
        self,
        *,
        minutos_de_prazo: int | str = 240,
        minutos_entre_consultas: int | str = 15,
        http_conn_id: str = "bcb_ptax",
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        # Contados do horário da execução, o `run_after`.
        self.minutos_de_prazo = minutos_de_prazo
        self.minutos_entre_consultas = minutos_entre_consultas
        self.http_conn_id = http_conn_id

    def execute(self, context) -> dict:
        dia = dia_da_execucao(context)
        try:
            motivo = calendario.sem_ptax(dia)
        except calendario.CalendarioDesatualizado as erro:
            # Tentar de novo não atualiza o arquivo.
            raise AirflowFailException(str(erro)) from None
        if motivo:
            self.log.info(
                "sem PTAX em %s (%s): nada a consultar", dia, motivo
            )
            return {"dia": dia, "resposta": None, "sem_ptax": motivo}
        return self.consultar(context)

    def consultar(self, context, event=None) -> dict:
        """Uma consulta; chamado por `execute` e, depois de cada espera,
        quando o trigger dispara."""
        dia = dia_da_execucao(context)
        hook = HttpHook(method="GET", http_conn_id=self.http_conn_id)
        endpoint = ptax.endpoint_do_dia(dia)
        resposta = hook.run(endpoint, extra_options={"timeout": 30})
        if not ainda_nao_saiu(resposta.text):
            return {
                "dia": dia,
                "resposta": resposta.text,
                "sem_ptax": None,
            }

        agora = pendulum.now(ptax.FUSO)
        prazo = (
            pendulum.instance(context["dag_run"].run_after)
            .in_timezone(ptax.FUSO)
            .add(minutes=int(self.minutos_de_prazo))
        )
        if agora >= prazo:
            raise PublicacaoAtrasada(
                f"a PTAX de {dia}, dia útil, não foi publicada até o "
                f"prazo desta execução, {prazo.format('DD/MM HH:mm')} "
                "de Brasília: confira a API e o Banco Central, e limpe a "
                "execução quando ela sair"
            )
        intervalo = timedelta(minutes=int(self.minutos_entre_consultas))
        proxima = min(agora + intervalo, prazo)
        self.log.info(
            "PTAX de %s ainda não publicada; nova consulta às %s",
            dia,
            proxima.format("HH:mm"),
        )
        self.defer(
            trigger=DateTimeTrigger(moment=proxima),
            method_name="consultar",
            # Sem triggerer para acordá-la, o scheduler a tira de
            # "Deferido" passado este tempo; a retomada levanta
            # `TaskDeferralTimeout`, que gasta uma nova tentativa, e a
            # seguinte consulta a API já depois do prazo. Um `timedelta`
            # comum: o worker não sabe enviar ao supervisor a `Duration`
            # do `pendulum`.
            timeout=(prazo - agora).as_timedelta() + intervalo,
        )
# --8<-- [end:operador]


def dia_da_execucao(context) -> str:
    """O dia da cotação, do contexto a cada chamada: o `dag.test()` do
    Airflow 3.3 entrega ao método que retoma a task só o evento do
    trigger, sem os `kwargs` do `defer`."""
    instante = context["logical_date"] or context["dag_run"].run_after
    return ptax.dia_local(instante)


def ainda_nao_saiu(texto: str) -> bool:
    """A API respondeu, em JSON, uma lista `value` vazia: num dia útil,
    a PTAX ainda não saiu.

    Qualquer outra resposta segue para a validação, que diz o que há de
    errado com ela.
    """
    try:
        corpo = json.loads(texto)
    except json.JSONDecodeError:
        return False
    return isinstance(corpo, dict) and corpo.get("value") == []
