# Type stub of the compiled module telpolicy (core/python/module.cpp), for type checkers and editors.
import os
from typing import Any, Iterable, Optional, Sequence, Union

__version__: str

_Path = Union[str, bytes, os.PathLike]
_Folders = Optional[Union[_Path, Sequence[_Path]]]

class Engine:
    def __init__(
        self,
        plugin_dirs: _Folders = None,
        rules_dirs: _Folders = None,
        *,
        allow_untrusted_plugins: bool = False,
        max_request_bytes: int = 1048576,
        max_numbers: int = 10000,
        max_pin_bytes: int = 64,
        max_json_depth: int = 32,
        max_rules_file_bytes: int = 4194304,
        max_yaml_depth: int = 32,
        max_yaml_aliases: int = 100,
        max_rules: int = 10000,
    ) -> None: ...
    def evaluate(self, request: dict[str, Any]) -> dict[str, Any]: ...
    def evaluate_json(self, request_json: Union[str, bytes, bytearray]) -> str: ...
    def evaluate_batch(self, requests: Iterable[dict[str, Any]]) -> list[dict[str, Any]]: ...
    def explain(self, request: dict[str, Any]) -> dict[str, Any]: ...
    def reload(self) -> dict[str, Any]: ...
    def watch(self, interval: float) -> None: ...
    def plugins(self) -> list[dict[str, Any]]: ...
    def load_report(self) -> dict[str, Any]: ...
    @property
    def revision(self) -> int: ...
    @property
    def watching(self) -> bool: ...
