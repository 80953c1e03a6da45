"""Theme-specific report wording (ja/en), merged into ``helpers.words.i18n.TEXT``.

One module per theme so each theme's sentences live beside each other."""
