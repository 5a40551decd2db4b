"""Type stubs of the native module ``lurescan._lurescan`` (built from crates/python/src/lib.rs)."""

from os import PathLike
from typing import Any, Iterable, List, Mapping, Optional, Union

__version__: str

Record = Union[Mapping[str, Any], str]

class LurescanError(Exception):
    """Base class of every lurescan error."""

class ReadError(LurescanError):
    """A model file could not be read (the message names it)."""

class MissingFileError(LurescanError):
    """The path is not a model folder: one of its four files is missing."""

class JsonError(LurescanError):
    """A model file is not valid JSON."""

class InvalidModelError(LurescanError):
    """The model folder's files do not fit together."""

class ExemplarsError(LurescanError):
    """A line of the model folder's exemplars.jsonl cannot be used (the message names the line)."""

class TokenizerError(LurescanError):
    """The tokenizer failed."""

class ModelError(LurescanError):
    """The model failed while computing."""

class Classifier:
    def __init__(
        self,
        model: Optional[Union[str, PathLike[str]]] = None,
        *,
        threshold: Optional[float] = None,
        batch_size: int = 8,
        threads: Optional[int] = None,
    ) -> None: ...
    def predict(self, records: Iterable[Record]) -> List[dict]: ...
    def explain(self, record: Record, *, top_terms: int = 8) -> dict:
        """The record's ``id``, ``score``, ``label`` and ``error``, its ``flags`` (indicators with evidence and byte
        offsets), ``top_terms``, ``contacts``, ``score_without_decisive`` (the score without the decisive
        indicator that set it, or None), ``exemplar_margin`` and ``nearest_typology`` (the nearest lure exemplar, for
        a record flagged or nearer the lure exemplars than the benign ones; None without exemplars)."""
    @property
    def threshold(self) -> float:
        """The threshold for postings (the model's, or ``threshold=``)."""
    @property
    def message_threshold(self) -> Optional[float]:
        """The model's own lower threshold for messages, or None (also when ``threshold=`` is given)."""
    @property
    def batch_size(self) -> int: ...
