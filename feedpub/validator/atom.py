"""stub"""
from lxml import etree
from feedpub.validator.context import Ctx


def validate_atom(root: etree._Element, ctx: Ctx) -> None:
    """stub"""
