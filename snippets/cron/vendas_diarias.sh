#!/bin/bash
# Relatório de vendas de ontem: receita por loja, a partir do CSV.
DIA=${DIA:-$(date -d yesterday +%F)}
ENTRADA=${ENTRADA:-/srv/dados/vendas}
SAIDA=${SAIDA:-/srv/relatorios}

echo "loja,receita" > "$SAIDA/relatorio_$DIA.csv"
tail -n +2 "$ENTRADA/$DIA.csv" \
  | awk -F, '{ receita[$2] += $4 * $5 }
      END { for (l in receita) printf "%s,%.2f\n", l, receita[l] }' \
  | sort >> "$SAIDA/relatorio_$DIA.csv"
