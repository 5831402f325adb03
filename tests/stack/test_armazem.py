"""Chapter 5, step 1 (docs/05-pratica/01-ambiente.md): the warehouse as the stack brings it up, before
any run of the chapter's DAGs (the `armazem_novo` fixture asks it as the stack comes up)."""

from __future__ import annotations

import saidas


def test_antes_da_primeira_execucao_a_tabela_nao_existe(armazem_novo):
    assert armazem_novo.returncode == 1, armazem_novo.stdout
    # The page quotes how psql's answer starts: the error, without the pointer into the query under it.
    (erro,) = [linha for linha in armazem_novo.stdout.splitlines() if linha.startswith("ERROR:")]
    saidas.confere("pratica_armazem_antes_da_primeira_execucao", erro)
