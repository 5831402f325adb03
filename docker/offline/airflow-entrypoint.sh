#!/bin/bash
# The official image's contract, reduced to what the course's compose file relies on.
set -e
case "${1:-}" in
    bash|python|python3|sh) exec "$@" ;;
    *) exec airflow "$@" ;;
esac
