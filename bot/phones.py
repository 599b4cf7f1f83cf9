"""Phone numbers as Twilio gives them ("+33612345678", "whatsapp:+33612345678") or as people
type them ("06 12 34 56 78"): one E.164 form, through `phonenumbers`."""
from __future__ import annotations

from dataclasses import dataclass

import phonenumbers

WHATSAPP_PREFIX = "whatsapp:"
DEFAULT_REGION = "FR"


@dataclass(frozen=True)
class Address:
    """Where to reach a person: their number and whether it is on WhatsApp or SMS."""

    e164: str
    whatsapp: bool = False

    @property
    def twilio(self) -> str:
        """The form Twilio's `To` and `From` use."""
        return f"{WHATSAPP_PREFIX}{self.e164}" if self.whatsapp else self.e164

    @property
    def masked(self) -> str:
        """For staff screens and listings: the last two digits only."""
        return "…" + self.e164[-2:]


def parse(raw: str | None, region: str = DEFAULT_REGION) -> Address | None:
    """The address for a number, or None if it is not a possible phone number."""
    if not raw:
        return None
    raw = raw.strip()
    whatsapp = raw.lower().startswith(WHATSAPP_PREFIX)
    if whatsapp:
        raw = raw[len(WHATSAPP_PREFIX):]
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return Address(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), whatsapp)


# A number written among words: "my number is 06 12 34 56 78", "٠٦١٢٣٤٥٦٧٨", "+33 6 12...".
SMS_TYPES = frozenset({phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE})


@dataclass(frozen=True)
class Found:
    """A number found in a message: its address, and whether it can receive SMS (a mobile)."""

    address: Address
    mobile: bool


def find(text: str | None, region: str = DEFAULT_REGION) -> Found | None:
    """The first valid phone number written in a message, or None. Digits of any script count
    (phonenumbers reads Arabic-Indic and Persian digits too)."""
    if not text:
        return None
    for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
        number = match.number
        address = Address(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
        return Found(address, phonenumbers.number_type(number) in SMS_TYPES)
    return None


def digit_count(text: str | None) -> int:
    """How many digits a message holds (any script): many digits and no valid number means a
    number mistyped, not some other answer."""
    return sum(ch.isdigit() for ch in text or "")
