"""What the presenter says around the stories, per language.

Languages without a translation here fall back to English wording.
"""

from __future__ import annotations

WORDING: dict[str, dict[str, str]] = {
    "en": {
        "welcome": "Welcome to {programme}, for {date}.",
        "one_story": "Today's story: {headline}.",
        "one_untitled": "Today, one story.",
        "many_stories": "Today, {count} stories: {headlines}.",
        "and": "and",
        "untitled": "an untitled story",
        "from_source": "From {source}.",
        "published": "Published {date}.",
        "next_story": "Next story.",
        "last_story": "And finally.",
        "outro": "That's all for this edition of {programme}. Thanks for listening.",
        "intro_chapter": "Introduction",
        "outro_chapter": "Closing",
        "skipped": "{count} of the stories could not be read and were left out.",
        "skipped_one": "One of the stories could not be read and was left out.",
        "left_out": "{count} of the stories did not fit into this episode and were left out.",
        "left_out_one": "One more story did not fit into this episode and was left out.",
        "summarized_all": "Each story is summarized{fit}.",
        "summarized_some": "{count} of the stories are summarized{fit}.",
        "summarized_one": "One of the stories is summarized{fit}.",
        "summarized_lone": "The story is summarized{fit}.",
        "fit": " to fit {minutes}",
        "minutes": "{count} minutes",
        "minutes_one": "one minute",
        "seconds": "{count} seconds",
    },
    "de": {
        "welcome": "Willkommen bei {programme}, am {date}.",
        "one_story": "Unser Thema heute: {headline}.",
        "one_untitled": "Heute: ein Beitrag.",
        "many_stories": "Heute {count} Beiträge: {headlines}.",
        "and": "und",
        "untitled": "ein Beitrag ohne Titel",
        "from_source": "Von {source}.",
        "published": "Veröffentlicht am {date}.",
        "next_story": "Der nächste Beitrag.",
        "last_story": "Und zum Schluss.",
        "outro": "Das war {programme}. Danke fürs Zuhören.",
        "intro_chapter": "Einleitung",
        "outro_chapter": "Abschluss",
        "skipped": "{count} Beiträge konnten nicht gelesen werden und fehlen.",
        "skipped_one": "Ein Beitrag konnte nicht gelesen werden und fehlt.",
        "left_out": "{count} weitere Beiträge passten nicht in diese Folge.",
        "left_out_one": "Ein weiterer Beitrag passte nicht in diese Folge.",
        "summarized_all": "Jeder Beitrag wird zusammengefasst{fit}.",
        "summarized_some": "{count} der Beiträge werden zusammengefasst{fit}.",
        "summarized_one": "Einer der Beiträge wird zusammengefasst{fit}.",
        "summarized_lone": "Der Beitrag wird zusammengefasst{fit}.",
        "fit": ", damit die Folge in {minutes} passt",
        "minutes": "{count} Minuten",
        "minutes_one": "eine Minute",
        "seconds": "{count} Sekunden",
    },
    "fr": {
        "welcome": "Bienvenue dans {programme}, ce {date}.",
        "one_story": "Au programme aujourd'hui : {headline}.",
        "one_untitled": "Aujourd'hui, un article.",
        "many_stories": "Aujourd'hui, {count} articles : {headlines}.",
        "and": "et",
        "untitled": "un article sans titre",
        "from_source": "Source : {source}.",
        "published": "Publié le {date}.",
        "next_story": "Article suivant.",
        "last_story": "Et pour finir.",
        "outro": "C'est tout pour cette édition de {programme}. Merci de votre écoute.",
        "intro_chapter": "Introduction",
        "outro_chapter": "Conclusion",
        "skipped": "{count} articles n'ont pas pu être lus et ont été omis.",
        "skipped_one": "Un article n'a pas pu être lu et a été omis.",
        "left_out": "{count} autres articles ne tenaient pas dans cet épisode.",
        "left_out_one": "Un autre article ne tenait pas dans cet épisode.",
        "summarized_all": "Chaque article est résumé{fit}.",
        "summarized_some": "{count} des articles sont résumés{fit}.",
        "summarized_one": "Un des articles est résumé{fit}.",
        "summarized_lone": "L'article est résumé{fit}.",
        "fit": " pour tenir en {minutes}",
        "minutes": "{count} minutes",
        "minutes_one": "une minute",
        "seconds": "{count} secondes",
    },
    "es": {
        "welcome": "Bienvenidos a {programme}, {date}.",
        "one_story": "La noticia de hoy: {headline}.",
        "one_untitled": "Hoy, una noticia.",
        "many_stories": "Hoy, {count} noticias: {headlines}.",
        "and": "y",
        "untitled": "una noticia sin título",
        "from_source": "Fuente: {source}.",
        "published": "Publicado el {date}.",
        "next_story": "Siguiente noticia.",
        "last_story": "Y para terminar.",
        "outro": "Eso es todo en esta edición de {programme}. Gracias por escuchar.",
        "intro_chapter": "Introducción",
        "outro_chapter": "Cierre",
        "skipped": "{count} noticias no se pudieron leer y se omitieron.",
        "skipped_one": "Una noticia no se pudo leer y se omitió.",
        "left_out": "Otras {count} noticias no cupieron en este episodio.",
        "left_out_one": "Otra noticia no cupo en este episodio.",
        "summarized_all": "Cada noticia se resume{fit}.",
        "summarized_some": "{count} de las noticias se resumen{fit}.",
        "summarized_one": "Una de las noticias se resume{fit}.",
        "summarized_lone": "La noticia se resume{fit}.",
        "fit": " para caber en {minutes}",
        "minutes": "{count} minutos",
        "minutes_one": "un minuto",
        "seconds": "{count} segundos",
    },
}


def say(lang: str, key: str, **values: str) -> str:
    """The sentence `key` in `lang`, filled in; it starts with a capital even when it opens
    with a value ('{count} of the stories ...' -> 'Two of the stories ...')."""
    text = wording(lang)[key].format(**values)
    # A headline ending in "?" or "!" already closes the sentence the template ends with ".".
    text = text.replace("?.", "?").replace("!.", "!")
    return text[:1].upper() + text[1:]


def wording(lang: str) -> dict[str, str]:
    return WORDING.get(lang.split("-")[0].lower(), WORDING["en"])


def has_wording(lang: str) -> bool:
    return lang.split("-")[0].lower() in WORDING
