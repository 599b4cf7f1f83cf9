"""The lines of the association poster (`python -m bot kit`), as English msgids.

They are printed, not sent: no SMS limits, but the same rules as every text (plain words, no
diagnosis, translated in every catalog). `bot.kit` translates them with bot.i18n.gettext.
"""
from __future__ import annotations

from bot.i18n import N_

HEADLINE = N_("Need care but no health cover? We help you, free, in your language.")
FREE = N_("Free and confidential")
SCAN = N_("Scan with your phone camera")
SMS = N_("or send an SMS to {number}")

ALL = (HEADLINE, FREE, SCAN, SMS)
