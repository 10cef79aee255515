"""Model settings given as text (``--set key=value``), checked against the model's constructor.

Every constructor parameter of a model is a setting the command line can pass, except
those the data or another option provides (sizes, feature matrices, the learning rate
``--lr`` sets, ...). A setting's type comes from the constructor itself, its annotation
or else its default value: ``int``, ``float``, ``bool``, ``str``, a sequence of ints or
floats (``1,32,32`` or ``[1, 32, 32]``), optionally ``None`` (``none``). An unknown key is
an error that lists the valid ones; text that does not parse as the setting's type is
an error that names the key. Ranges are then checked by the constructor, through
:mod:`openrec2.validation`, like any other call.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Mapping, Sequence
from typing import Any, Optional

from openrec2.errors import SettingError, scoped

_SCOPE = 'openrec2 --set'
_NONE_WORDS = ('none', 'null')
_TRUE_WORDS = ('true', 'yes', '1', 'on')
_FALSE_WORDS = ('false', 'no', '0', 'off')


def constructor_parameters(model_class: type) -> dict[str, inspect.Parameter]:
    """The keyword parameters of a model's constructor, following ``**kwargs`` to the bases.

    Args:
        model_class: A recommender class.

    Returns:
        ``{name: Parameter}`` in signature order (a subclass's own first).
    """
    found: dict[str, inspect.Parameter] = {}
    for cls in model_class.__mro__:
        if '__init__' not in vars(cls) or cls is object:
            continue
        signature = inspect.signature(cls.__init__)
        for name, parameter in signature.parameters.items():
            if name != 'self' and parameter.kind not in (parameter.VAR_KEYWORD, parameter.VAR_POSITIONAL):
                found.setdefault(name, parameter)
        if not any(p.kind == p.VAR_KEYWORD for p in signature.parameters.values()):
            break
    return found


def setting_types(model_class: type) -> dict[str, Any]:
    """The type of every constructor parameter (annotation, else the default's type).

    Args:
        model_class: A recommender class.

    Returns:
        ``{name: type}``; ``Any`` where neither says.
    """
    hints: dict[str, Any] = {}
    for cls in reversed(model_class.__mro__):
        if '__init__' in vars(cls) and cls is not object:
            try:
                hints.update(typing.get_type_hints(cls.__init__))
            except (NameError, TypeError):
                continue
    types = {}
    for name, parameter in constructor_parameters(model_class).items():
        hint = hints.get(name)
        if hint is None or hint is Any:
            default = parameter.default
            hint = Any if default is inspect.Parameter.empty or default is None else type(default)
            if isinstance(default, (list, tuple)) and default:
                hint = Sequence[type(default[0])]
        types[name] = hint
    return types


def _unwrap_optional(hint: Any) -> tuple[Any, bool]:
    """``(inner type, whether None is allowed)``; of a union, the type text can give (``str`` first)."""
    args = typing.get_args(hint)
    if typing.get_origin(hint) is not typing.Union:
        return hint, False
    rest = [a for a in args if a is not type(None)]
    for simple in (str, bool, int, float):
        if simple in rest:
            return simple, type(None) in args
    return (rest[0] if len(rest) == 1 else Any), type(None) in args


def _sequence_item(hint: Any) -> Optional[Any]:
    origin = typing.get_origin(hint)
    if origin in (list, tuple, Sequence, typing.Sequence) or (origin is not None and isinstance(origin, type)
                                                             and issubclass(origin, Sequence)
                                                             and origin is not str):
        args = [a for a in typing.get_args(hint) if a is not Ellipsis]
        return args[0] if args else Any
    if hint in (list, tuple):
        return Any
    return None


def _describe(hint: Any) -> str:
    inner, optional = _unwrap_optional(hint)
    item = _sequence_item(inner)
    if item is not None:
        text = f'a comma-separated list of {getattr(item, "__name__", "values")}s (e.g. 1,32,32)'
    else:
        text = {int: 'an integer', float: 'a number', bool: 'true or false', str: 'a string'}.get(
            inner, 'a value')
    return text + (' or none' if optional else '')


def _parse_scalar(text: str, kind: Any) -> Any:
    if kind is bool:
        word = text.strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
        raise ValueError(text)
    if kind is int:
        return int(text.strip())
    if kind is float:
        return float(text.strip())
    if kind is str or kind is Any:
        return text
    raise ValueError(text)


def coerce_setting(key: str, text: str, hint: Any) -> Any:
    """Turn the text of one setting into a value of the setting's type.

    Args:
        key: Setting name (for the message).
        text: The text after ``=``.
        hint: The setting's type (see :func:`setting_types`).

    Returns:
        The value.

    Raises:
        SettingError: The text is not of that type; the message names the key.
    """
    inner, optional = _unwrap_optional(hint)
    if optional and text.strip().lower() in _NONE_WORDS:
        return None
    item = _sequence_item(inner)
    try:
        if item is not None:
            body = text.strip().strip('[]()')
            return [_parse_scalar(part, item) for part in body.split(',') if part.strip()]
        return _parse_scalar(text, inner)
    except ValueError:
        raise SettingError(scoped(_SCOPE, f'{key}={text!r}: `{key}` takes {_describe(hint)}.')) from None


def parse_assignment(assignment: str) -> tuple[str, str]:
    """Split ``'key=value'``.

    Args:
        assignment: The text of one ``--set``.

    Returns:
        ``(key, value text)``.

    Raises:
        SettingError: No ``=`` or an empty key.
    """
    key, equals, value = assignment.partition('=')
    if not equals or not key.strip():
        raise SettingError(scoped(_SCOPE, f'{assignment!r} is not key=value; write e.g. --set eps=0.5.'))
    return key.strip(), value


def parse_model_settings(model_class: type, assignments: Sequence[str],
                         owned: Mapping[str, str]) -> dict[str, Any]:
    """Parse ``--set`` assignments for a model.

    Args:
        model_class: The recommender class.
        assignments: ``['key=value', ...]``.
        owned: ``{parameter: what sets it instead}`` (data or another option), e.g.
            ``{'lr': '--lr', 'max_item': 'the dataset'}``.

    Returns:
        ``{key: value}``.

    Raises:
        SettingError: An unknown key (the valid ones are listed), a key another option
            owns, a key given twice, or a value of the wrong type.
    """
    types = setting_types(model_class)
    valid = [name for name in types if name not in owned]
    settings: dict[str, Any] = {}
    for assignment in assignments:
        key, text = parse_assignment(assignment)
        if key in owned:
            raise SettingError(scoped(_SCOPE, f'{key} is set by {owned[key]}, not by --set.'))
        if key not in types:
            raise SettingError(scoped(_SCOPE, f'{model_class.__name__} has no setting {key!r}; valid: {valid}.'))
        if key in settings:
            raise SettingError(scoped(_SCOPE, f'{key} is set twice.'))
        settings[key] = coerce_setting(key, text, types[key])
    return settings


def settable_names(model_class: type, owned: Mapping[str, str]) -> list[str]:
    """The names ``--set`` accepts for a model, in constructor order.

    Args:
        model_class: The recommender class.
        owned: Parameters set by the data or other options.

    Returns:
        The names.
    """
    return [name for name in constructor_parameters(model_class) if name not in owned]
