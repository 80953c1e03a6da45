"""The phrases of every theme (ja/en), one dict ``TEXT`` per module, merged into ``helpers.words.i18n.TEXT``.

Data only (no imports): the sentence builders in ``helpers.words`` use them through ``i18n.t``."""
