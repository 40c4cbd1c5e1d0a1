"""The cleaning stage: page text (or HTML) to the article body, its metadata and the reasons for every removal."""
from transforms.clean.cleaner import clean_text
from transforms.clean.result import Cleaned, Removed
from transforms.clean.template import TemplateCounter, template_lines

__all__ = ["Cleaned", "Removed", "TemplateCounter", "clean_text", "template_lines"]
