"""The corpus script's writers (bench/import_corpus.py), loaded by path: ``bench/`` is not a
package, and putting it on sys.path would shadow the apps (it holds a finance.py)."""

import importlib.util
from pathlib import Path

_path = Path(__file__).resolve().parents[2] / "bench" / "import_corpus.py"
_spec = importlib.util.spec_from_file_location("import_corpus", _path)
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)


def seed_paper(pk: int) -> dict:
    """A seed paper's fields with its recommendations, from the fixture files."""
    return next(p for p in corpus.seed_papers() if p["pk"] == pk)


def words(text: str) -> list[str]:
    return corpus.plain(text or "").replace("\\", "").split()
