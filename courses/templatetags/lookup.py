from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    """`{{ positions|get_item:enrolment.pk }}`"""
    return mapping.get(key) if mapping else None
