"""Build the course stack's images here, for machines that reach no container registry.

Writes the compose variables that point docker/compose.yaml at them (AIRFLOW_IMAGE_NAME,
POSTGRES_IMAGE, REDIS_IMAGE), one `NAME=value` a line, to the file named by its argument
(an env file: `docker compose --env-file` reads it). Each tag carries a hash of what the
image is built from (recipe, uv.lock's `imagem` group, base), so an unchanged image is reused
and a change to the lock rebuilds it. Needs root, debootstrap and a Docker engine.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

AQUI = Path(__file__).resolve().parent
RAIZ = AQUI.parents[1]
CA_DO_HOST = Path("/etc/ssl/certs/ca-certificates.crt")
CAMINHO = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
PACOTES_BASE = "python3,python3-venv,ca-certificates,curl,dumb-init,procps,passwd"
AMBIENTE = {**os.environ, "DOCKER_BUILDKIT": "0"}  # the engine's own builder; no buildx needed


def log(mensagem: str) -> None:
    print(f"construir: {mensagem}", file=sys.stderr, flush=True)


def resumo(*partes: bytes | str) -> str:
    h = hashlib.sha256()
    for parte in partes:
        h.update(parte.encode() if isinstance(parte, str) else parte)
    return h.hexdigest()[:12]


def existe(tag: str) -> bool:
    return subprocess.run(["docker", "image", "inspect", tag], capture_output=True).returncode == 0


def espelho_debian() -> str:
    fontes = Path("/etc/apt/sources.list.d/debian.sources")
    for linha in fontes.read_text().splitlines() if fontes.exists() else []:
        if linha.startswith("URIs:"):
            return linha.split()[1]
    return "http://deb.debian.org/debian"


def base() -> str:
    """Debian bookworm minbase with Python 3.11 and the host's CA bundle (PyPI goes through a proxy)."""
    tag = f"modulo10/base:bookworm-{resumo(PACOTES_BASE, CA_DO_HOST.read_bytes())}"
    if existe(tag):
        return tag
    if not shutil.which("debootstrap"):
        sys.exit("construir: debootstrap is missing (apt-get install debootstrap)")
    log(f"{tag}: debootstrap bookworm")
    with tempfile.TemporaryDirectory() as raiz:
        subprocess.run(
            ["debootstrap", "--variant=minbase", f"--include={PACOTES_BASE}", "bookworm", raiz,
             espelho_debian()], check=True, stdout=subprocess.DEVNULL,
        )
        shutil.copy(CA_DO_HOST, Path(raiz) / "etc/ssl/certs/ca-certificates.crt")
        shutil.rmtree(Path(raiz) / "var/cache/apt/archives", ignore_errors=True)
        tar = subprocess.Popen(["tar", "-C", raiz, "-c", "."], stdout=subprocess.PIPE)
        subprocess.run(
            ["docker", "import", "--change", f"ENV PATH={CAMINHO}", "--change", 'CMD ["bash"]', "-", tag],
            stdin=tar.stdout, check=True, stdout=subprocess.DEVNULL,
        )
        if tar.wait() != 0:
            sys.exit("construir: tar of the base root file system failed")
    return tag


def imagem(nome: str, tag_base: str, arquivos: dict[str, bytes]) -> str:
    """Build `<nome>.Dockerfile` FROM the base, with `arquivos` as its build context."""
    receita = (AQUI / f"{nome}.Dockerfile").read_bytes()
    conteudo = [receita, tag_base, *(n.encode() + b"\0" + c for n, c in sorted(arquivos.items()))]
    tag = f"modulo10/{nome}:{resumo(*conteudo)}"
    if existe(tag):
        return tag
    log(f"{tag}: docker build")
    with tempfile.TemporaryDirectory() as contexto:
        for arquivo, dados in {"Dockerfile": receita, **arquivos}.items():
            destino = Path(contexto) / arquivo
            destino.write_bytes(dados)
            destino.chmod(0o755)
        subprocess.run(
            ["docker", "build", "--network", "host", "--build-arg", f"BASE={tag_base}",
             "--tag", tag, contexto],
            check=True, env=AMBIENTE, stdout=sys.stderr,
        )
    return tag


def requisitos_do_lock() -> bytes:
    return subprocess.run(
        ["uv", "export", "--frozen", "--only-group", "imagem", "--no-hashes", "--no-header",
         "--no-annotate"],
        cwd=RAIZ, check=True, capture_output=True,
    ).stdout


def main() -> None:
    tag_base = base()
    uv = Path(shutil.which("uv") or sys.exit("construir: uv is missing")).read_bytes()
    airflow = imagem("airflow", tag_base, {
        "uv": uv,
        "requirements.txt": requisitos_do_lock(),
        "airflow-entrypoint.sh": (AQUI / "airflow-entrypoint.sh").read_bytes(),
    })
    postgres = imagem("postgres", tag_base, {
        "postgres-entrypoint.sh": (AQUI / "postgres-entrypoint.sh").read_bytes(),
    })
    redis = imagem("redis", tag_base, {})
    destino = Path(sys.argv[1])
    destino.write_text(f"AIRFLOW_IMAGE_NAME={airflow}\nPOSTGRES_IMAGE={postgres}\nREDIS_IMAGE={redis}\n")
    log(f"images ready, variables written to {destino}")


if __name__ == "__main__":
    main()
