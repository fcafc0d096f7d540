"""The one way a package states its public names: a map of module to names, resolved on first use."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from types import ModuleType


def exports(package: str, public: dict[str, list[str]], namespace: dict,
            eager: bool = False) -> tuple[list[str], Callable[[str], object], Callable[[], list[str]]]:
    """``__all__``, ``__getattr__`` and ``__dir__`` of ``package`` from ``public`` (module -> the names it exports).

    A name is imported from its module on first use (PEP 562) and kept in the
    package's ``namespace``; where a submodule shadows a function of the same
    name (``convergence``), the function is returned.  ``eager=True`` binds every
    name at once, for a package whose submodules share names with its functions
    (``worldorder.power.polarity``), so that a later import of such a submodule
    cannot leave the module where the function should be.
    """
    module_of = {name: module for module, names in public.items() for name in names}
    names = sorted(module_of)

    def resolve(name: str):
        value = getattr(import_module(module_of[name]), name)
        if isinstance(value, ModuleType):
            value = getattr(value, name)
        namespace[name] = value
        return value

    def __getattr__(name: str):
        if name in module_of:
            return resolve(name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(names))

    if eager:
        for name in names:
            resolve(name)
        for name in names:  # a submodule first imported after its name was bound
            if isinstance(namespace[name], ModuleType):
                resolve(name)
    return names, __getattr__, __dir__
