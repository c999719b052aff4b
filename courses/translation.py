"""Texts kept per language (pl, uk, en, ru) with fallback to Polish, then English."""

from modeltranslation.translator import TranslationOptions, register

from courses.models import Centre, Course, Venue


@register(Centre)
class CentreTranslationOptions(TranslationOptions):
    fields = ("opening_hours", "funding_text")


@register(Venue)
class VenueTranslationOptions(TranslationOptions):
    fields = ("accessibility",)


@register(Course)
class CourseTranslationOptions(TranslationOptions):
    fields = ("title", "description")
    required_languages = ("pl",)
