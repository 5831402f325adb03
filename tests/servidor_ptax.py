"""A stand-in for the Banco Central's PTAX open-data API, for chapter 5's tests.

It answers `CotacaoDolarDia` in the API's own JSON format from tests/dados/ptax_2026.json
(fictitious quotes for October and November 2026; weekends and the national holidays answer
with an empty list, as the real API does),
and can be told, per day, to fail with HTTP 500 a number of times, to answer with the HTML
page a proxy shows during maintenance, to write its JSON the other ways the real API has been
seen writing it (VARIANTES), or to publish late: a delayed day answers an empty list, as the real
API does before the quote is out, until it is published (with the file's quote, or the one given
for a day the file does not have). Both tiers use it: the `dags` tier runs it in a thread,
the `stack` tier as a container next to the workers (`python servidor_ptax.py`).

Control endpoints (JSON): POST /_controle/falhas {"dia", "vezes"}, POST /_controle/manutencao
{"dia"}, POST /_controle/variantes {"dia", "variantes": [...]}, POST /_controle/atrasar {"dia"},
POST /_controle/publicar {"dia"[, "compra", "venda", "hora"]}, POST /_controle/limpar,
GET /_controle/chamadas -> {dia: number of quote requests}.
"""

from __future__ import annotations

import argparse
import json
import re
import threading
import urllib.request
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

COTACOES = json.loads((Path(__file__).parent / "dados" / "ptax_2026.json").read_text())
RECURSO = "/olinda/servico/PTAX/versao/v1/odata/CotacaoDolarDia(dataCotacao=@dataCotacao)"
CONTEXTO = "https://olinda.bcb.gov.br/olinda/servico/PTAX/versao/v1/odata$metadata#_CotacaoDolarDia"
PAGINA_DE_MANUTENCAO = "<html><body><h1>Sistema em manutenção</h1></body></html>"
# How else the real API writes the same answer: the rates with five decimals (5.30910), the fraction
# of a second of dataHoraCotacao with two digits (13:10:36.94), and @odata.context on an internal host.
VARIANTES = ("cinco_casas", "fracao_de_dois_digitos", "contexto_em_outro_host")
CONTEXTO_EM_OUTRO_HOST = (
    "https://was-p.bcnet.bcb.gov.br/olinda/servico/PTAX/versao/v1/odata$metadata#_CotacaoDolarDia"
)


def corpo(dia: str, variantes: frozenset[str] = frozenset(), cotacoes: dict = COTACOES) -> str:
    """The API's JSON answer for `dia`, written as `variantes` say (the tidy format without any)."""
    contexto = CONTEXTO_EM_OUTRO_HOST if "contexto_em_outro_host" in variantes else CONTEXTO
    itens = []
    if dia in cotacoes:
        cotacao = dict(cotacoes[dia])
        if "fracao_de_dois_digitos" in variantes:
            hora = cotacao["dataHoraCotacao"]
            cotacao["dataHoraCotacao"] = hora[:hora.index(".") + 3]
        taxas = {campo: f"{cotacao[campo]:.5f}" if "cinco_casas" in variantes else json.dumps(cotacao[campo])
                 for campo in ("cotacaoCompra", "cotacaoVenda")}
        itens.append(f'{{"cotacaoCompra": {taxas["cotacaoCompra"]}, "cotacaoVenda": {taxas["cotacaoVenda"]}, '
                     f'"dataHoraCotacao": {json.dumps(cotacao["dataHoraCotacao"])}}}')
    return f'{{"@odata.context": {json.dumps(contexto)}, "value": [{", ".join(itens)}]}}'


class Estado:
    """What the server was told to do, and what it was asked; shared by the handler threads."""

    def __init__(self) -> None:
        self.trava = threading.Lock()
        self.limpar()

    def limpar(self) -> None:
        self.falhas: Counter[str] = Counter()
        self.manutencao: set[str] = set()
        self.variantes: dict[str, frozenset[str]] = {}
        self.atrasadas: set[str] = set()
        self.cotacoes: dict[str, dict] = dict(COTACOES)  # the file's, and the ones published here
        self.chamadas: Counter[str] = Counter()


    def publicar(self, dia: str, compra: float | None = None, venda: float | None = None,
                 hora: str = "13:09:27.513") -> str | None:
        """Publish a delayed day; a day the file does not have needs its rates. An error, or None."""
        if compra is not None and venda is not None:
            self.cotacoes[dia] = {"cotacaoCompra": compra, "cotacaoVenda": venda,
                                  "dataHoraCotacao": f"{dia} {hora}"}
        elif dia not in self.cotacoes:
            return f"{dia} não está no arquivo de cotações: diga compra e venda"
        self.atrasadas.discard(dia)
        return None


class Tratador(BaseHTTPRequestHandler):
    estado: Estado  # set on the subclass that `servidor()` builds

    def log_message(self, *args) -> None:  # quiet: the tests print what matters
        pass

    def _responder(self, status: int, corpo: str, tipo: str = "application/json") -> None:
        dados = corpo.encode()
        self.send_response(status)
        self.send_header("Content-Type", f"{tipo}; charset=utf-8")
        self.send_header("Content-Length", str(len(dados)))
        self.end_headers()
        self.wfile.write(dados)

    def do_GET(self) -> None:
        partes = urlsplit(self.path)
        if partes.path == "/_controle/chamadas":
            with self.estado.trava:
                return self._responder(200, json.dumps(dict(self.estado.chamadas)))
        if unquote(partes.path) != RECURSO:
            return self._responder(404, json.dumps({"error": {"message": "recurso desconhecido"}}))
        achado = re.search(r"@dataCotacao='(\d\d)-(\d\d)-(\d{4})'", unquote(partes.query))
        if not achado:
            return self._responder(400, json.dumps({"error": {"message": "dataCotacao inválida"}}))
        mes, dia_do_mes, ano = achado.groups()
        dia = f"{ano}-{mes}-{dia_do_mes}"
        with self.estado.trava:
            self.estado.chamadas[dia] += 1
            if self.estado.falhas[dia] > 0:
                self.estado.falhas[dia] -= 1
                return self._responder(500, "Internal Server Error", "text/plain")
            if dia in self.estado.manutencao:
                return self._responder(200, PAGINA_DE_MANUTENCAO, "text/html")
            if dia in self.estado.atrasadas:
                return self._responder(200, corpo(dia, cotacoes={}))
            resposta = corpo(dia, self.estado.variantes.get(dia, frozenset()), self.estado.cotacoes)
        self._responder(200, resposta)

    def do_POST(self) -> None:
        tamanho = int(self.headers.get("Content-Length") or 0)
        pedido = json.loads(self.rfile.read(tamanho) or b"{}")
        with self.estado.trava:
            if self.path == "/_controle/falhas":
                self.estado.falhas[pedido["dia"]] = int(pedido["vezes"])
            elif self.path == "/_controle/manutencao":
                self.estado.manutencao.add(pedido["dia"])
            elif self.path == "/_controle/variantes":
                if desconhecidas := set(pedido["variantes"]) - set(VARIANTES):
                    return self._responder(400, json.dumps({"error": {"message": f"{desconhecidas}?"}}))
                self.estado.variantes[pedido["dia"]] = frozenset(pedido["variantes"])
            elif self.path == "/_controle/atrasar":
                self.estado.atrasadas.add(pedido["dia"])
            elif self.path == "/_controle/publicar":
                if erro := self.estado.publicar(**pedido):
                    return self._responder(400, json.dumps({"error": {"message": erro}}))
            elif self.path == "/_controle/limpar":
                self.estado.limpar()
            else:
                return self._responder(404, "{}")
        self._responder(200, "{}")


def servidor(endereco: str = "127.0.0.1", porta: int = 0) -> ThreadingHTTPServer:
    """A server with its own state, not yet serving; port 0 picks a free one."""
    tratador = type("TratadorComEstado", (Tratador,), {"estado": Estado()})
    return ThreadingHTTPServer((endereco, porta), tratador)


class Controle:
    """The tests' side of the control endpoints."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")

    def _pedir(self, caminho: str, corpo: dict | None = None):
        dados = None if corpo is None else json.dumps(corpo).encode()
        with urllib.request.urlopen(f"{self.url}{caminho}", data=dados, timeout=10) as resposta:
            return json.load(resposta)

    def falhar(self, dia: str, vezes: int) -> None:
        self._pedir("/_controle/falhas", {"dia": dia, "vezes": vezes})

    def manutencao(self, dia: str) -> None:
        self._pedir("/_controle/manutencao", {"dia": dia})

    def variantes(self, dia: str, *variantes: str) -> None:
        self._pedir("/_controle/variantes", {"dia": dia, "variantes": list(variantes)})

    def atrasar(self, dia: str) -> None:
        self._pedir("/_controle/atrasar", {"dia": dia})

    def publicar(self, dia: str, **cotacao) -> None:
        self._pedir("/_controle/publicar", {"dia": dia, **cotacao})

    def limpar(self) -> None:
        self._pedir("/_controle/limpar", {})

    def chamadas(self) -> dict[str, int]:
        return self._pedir("/_controle/chamadas")


if __name__ == "__main__":
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--porta", type=int, default=8000)
    porta = argumentos.parse_args().porta
    servidor("0.0.0.0", porta).serve_forever()
