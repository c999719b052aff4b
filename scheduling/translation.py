from modeltranslation.translator import TranslationOptions, register

from scheduling.models import Closure


@register(Closure)
class ClosureTranslationOptions(TranslationOptions):
    fields = ("reason",)
