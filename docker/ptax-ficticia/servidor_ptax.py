"""Uma API da PTAX de mentira, para provocar as falhas do capítulo 5 na sua stack e nos testes.

Responde `CotacaoDolarDia` no formato JSON da API de dados abertos do Banco Central, com as
cotações FICTÍCIAS de ptax_2026.json (outubro e novembro de 2026; fins de semana e feriados
respondem com a lista vazia, como a API de verdade). Sob encomenda, por dia: falha com HTTP 500
algumas vezes, responde a página HTML de uma manutenção, segura a cotação (lista vazia, como antes
da publicação) até você publicá-la, publica a cotação que você disser ou escreve o JSON dos outros
jeitos que a API real já escreveu (VARIANTES).

Na stack, é o serviço `ptax-ficticia` do perfil de mesmo nome (`docker/compose.yaml`); as ordens
vão pela linha de comando, dentro do contêiner:

    `docker compose exec ptax-ficticia python servidor_ptax.py falhar 2026-11-16 --vezes 2`

Os testes do curso o rodam em segundo plano (camada `dags`) e como esse serviço (camada `stack`), e
falam com ele pelos caminhos de controle, em JSON: `POST /_controle/falhas {"dia", "vezes"}`,
`/_controle/manutencao {"dia"}`, `/_controle/variantes {"dia", "variantes"}`,
`/_controle/atrasar {"dia"}`, `/_controle/publicar {"dia"[, "compra", "venda", "hora"]}`,
`/_controle/limpar`; e `GET /_controle/chamadas`, com quantos pedidos de cotação cada dia recebeu.
"""

from __future__ import annotations

import argparse
import json
import re
import threading
import urllib.error
import urllib.request
from collections import Counter
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

COTACOES = json.loads((Path(__file__).with_name("ptax_2026.json")).read_text())
RECURSO = "/olinda/servico/PTAX/versao/v1/odata/CotacaoDolarDia(dataCotacao=@dataCotacao)"
CONTEXTO = "https://olinda.bcb.gov.br/olinda/servico/PTAX/versao/v1/odata$metadata#_CotacaoDolarDia"
PAGINA_DE_MANUTENCAO = "<html><body><h1>Sistema em manutenção</h1></body></html>"
# Outros jeitos como a API real já escreveu a mesma resposta: as taxas com cinco casas (5.30910), a
# fração de segundo de `dataHoraCotacao` com dois dígitos (13:10:36.94) e o `@odata.context` num host
# interno.
VARIANTES = ("cinco_casas", "fracao_de_dois_digitos", "contexto_em_outro_host")
CONTEXTO_EM_OUTRO_HOST = (
    "https://was-p.bcnet.bcb.gov.br/olinda/servico/PTAX/versao/v1/odata$metadata#_CotacaoDolarDia"
)


def corpo(dia: str, variantes: frozenset[str] = frozenset(), cotacoes: dict = COTACOES) -> str:
    """A resposta JSON da API para `dia`, escrita como `variantes` pedem (sem nenhuma, no formato limpo)."""
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
    """As ordens que o servidor recebeu e as consultas que atendeu, para todos os pedidos ao mesmo tempo."""

    def __init__(self) -> None:
        self.trava = threading.Lock()
        self.limpar()

    def limpar(self) -> None:
        self.falhas: Counter[str] = Counter()
        self.manutencao: set[str] = set()
        self.variantes: dict[str, frozenset[str]] = {}
        self.atrasadas: set[str] = set()
        self.cotacoes: dict[str, dict] = dict(COTACOES)  # as do arquivo e as publicadas aqui
        self.chamadas: Counter[str] = Counter()


    def publicar(self, dia: str, compra: float | None = None, venda: float | None = None,
                 hora: str = "13:09:27.513") -> str | None:
        """Publica um dia segurado; um dia que o arquivo não tem precisa das taxas. O erro, ou `None`."""
        if compra is not None and venda is not None:
            self.cotacoes[dia] = {"cotacaoCompra": compra, "cotacaoVenda": venda,
                                  "dataHoraCotacao": f"{dia} {hora}"}
        elif dia not in self.cotacoes:
            return f"{dia} não está no arquivo de cotações: diga compra e venda"
        self.atrasadas.discard(dia)
        return None


class Tratador(BaseHTTPRequestHandler):
    estado: Estado  # na subclasse que `servidor()` cria

    def log_message(self, *args) -> None:  # em silêncio: quem usa diz o que importa
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
    """Um servidor com estado próprio, ainda sem atender; a porta 0 escolhe uma livre."""
    tratador = type("TratadorComEstado", (Tratador,), {"estado": Estado()})
    return ThreadingHTTPServer((endereco, porta), tratador)


class Controle:
    """Quem dá as ordens: os caminhos de controle, vistos de fora (a linha de comando e os testes)."""

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


def linha_de_comando(argv: list[str] | None = None) -> None:
    """`servir`, no contêiner; as outras ordens falam com o servidor que já está no ar."""
    comandos = argparse.ArgumentParser(prog="servidor_ptax.py", description=__doc__.splitlines()[0])
    comandos.add_argument("--url", default="http://127.0.0.1:8000", help="onde o servidor atende")
    ordens = comandos.add_subparsers(dest="ordem", required=True)
    ordens.add_parser("servir", help="atende na porta 8000").add_argument("--porta", type=int, default=8000)
    falhar = ordens.add_parser("falhar", help="responde HTTP 500 às próximas consultas do dia")
    falhar.add_argument("dia", type=um_dia)
    falhar.add_argument("--vezes", type=int, default=1)
    for ordem, ajuda in (("manutencao", "responde a página de manutenção, com status 200"),
                         ("atrasar", "segura a cotação do dia: lista vazia até publicar")):
        ordens.add_parser(ordem, help=ajuda).add_argument("dia", type=um_dia)
    publicar = ordens.add_parser("publicar", help="solta a cotação do dia, a do arquivo ou a que você der")
    publicar.add_argument("dia", type=um_dia)
    publicar.add_argument("--compra", type=float)
    publicar.add_argument("--venda", type=float)
    ordens.add_parser("limpar", help="esquece todas as ordens: volta às cotações do arquivo")
    ordens.add_parser("chamadas", help="quantas consultas cada dia recebeu")
    pedido = comandos.parse_args(argv)
    if pedido.ordem == "publicar" and (pedido.compra is None) != (pedido.venda is None):
        comandos.error("diga --compra e --venda juntos, ou nenhum dos dois")

    if pedido.ordem == "servir":
        servidor("0.0.0.0", pedido.porta).serve_forever()
    controle = Controle(pedido.url)
    try:
        executar(controle, pedido)
    except urllib.error.HTTPError as erro:
        raise SystemExit(f"o servidor recusou: {json.load(erro)['error']['message']}") from None


def um_dia(texto: str) -> str:
    """Um dia como a linha de comando o recebe: AAAA-MM-DD, ou um erro que diz o formato."""
    try:
        return date.fromisoformat(texto).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{texto!r} não é um dia AAAA-MM-DD") from None


def executar(controle: Controle, pedido: argparse.Namespace) -> None:
    """Uma ordem ao servidor no ar; diz o que fez (ou, em `chamadas`, as contagens, em JSON)."""
    if pedido.ordem == "falhar":
        controle.falhar(pedido.dia, pedido.vezes)
    elif pedido.ordem in ("manutencao", "atrasar"):
        getattr(controle, pedido.ordem)(pedido.dia)
    elif pedido.ordem == "publicar":
        valores = {"compra": pedido.compra, "venda": pedido.venda}
        controle.publicar(pedido.dia, **{k: v for k, v in valores.items() if v is not None})
    elif pedido.ordem == "limpar":
        controle.limpar()
    else:
        print(json.dumps(controle.chamadas(), sort_keys=True))
        return
    print(f"ok: {pedido.ordem} {getattr(pedido, 'dia', '')}".rstrip())


if __name__ == "__main__":
    linha_de_comando()
