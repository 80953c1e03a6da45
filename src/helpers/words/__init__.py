"""Words: everything a reader reads, in ja or en. ``i18n.t`` fills the phrases of ``catalog/<theme>``
with numbers; ``formats`` formats numbers, dates (Babel), labels and lists; ``<theme>`` turns the
analysis frames into sentences, captions and reader tables. Above analysis, below figures."""
