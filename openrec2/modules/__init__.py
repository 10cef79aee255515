"""Modules: the reusable pieces recommenders are composed of."""

from openrec2.modules.module import Module

__all__ = ["Module"]
