"""One strict build of the site, shared by the `docs` and `site` tiers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]


def construir(destino: Path) -> Path:
    """`mkdocs build --strict` into `destino`; a failed build fails with mkdocs' own words."""
    construcao = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(destino)],
        cwd=RAIZ, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert construcao.returncode == 0, f"mkdocs build --strict failed:\n{construcao.stderr}"
    return destino
