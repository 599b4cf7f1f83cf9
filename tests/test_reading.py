"""Replies read in the frame of their question, as people write them (bot.conversation.reading,
bot.interview.interpret): a wrong value is worse than none."""
from datetime import date

import pytest

from bot import interview
from bot.conversation import reading

TODAY = date(2025, 10, 1)


def answer(fact, text, language="fr", intent=None, confidence=0.0):
    return interview.interpret(interview.ALL_QUESTIONS[fact], text=text, intent=intent, entities={},
                               language=language, today=TODAY, confidence=confidence)


@pytest.mark.parametrize("text", [
    "oui j'ai très mal au dos", "yes my back hurts a lot", "ouais", "oui oui", "Oui, bien sûr",
    "j'ai de la fièvre depuis 3 jours", "je suis malade", "I have diabetes",
])
def test_a_health_problem_told_with_details_is_a_yes(text):
    assert answer("health_problem", text) is True


@pytest.mark.parametrize("text", ["non", "non merci", "je n'ai pas mal", "pas vraiment", "no not really", "nope"])
def test_no_health_problem(text):
    assert answer("health_problem", text) is False


@pytest.mark.parametrize("text,expected", [
    ("non c'est trop cher pour moi", False),
    ("je peux pas", False),
    ("no I can't", False),
    ("oui ça va", True),
    ("yes", True),
])
def test_paying_upfront_with_reasons(text, expected):
    assert answer("can_advance_fees", text) is expected


@pytest.mark.parametrize("text,expected", [
    ("j'ai mon passeport", True),
    ("oui j'ai un passeport", True),
    ("je n'ai rien", False),
    ("non je l'ai perdu", False),
])
def test_a_statement_of_having_answers_the_photo_id_question(text, expected):
    assert answer("has_photo_id", text) is expected


@pytest.mark.parametrize("text", ["je sais pas", "jsp", "I don't know", "asdf", "🙂", "????", "123456789"])
def test_what_does_not_say_yes_or_no_is_not_read_as_one(text):
    assert answer("has_domiciliation", text) is None


def test_the_city_named_answers_the_saint_denis_question():
    assert answer("saint_denis_link", "j'habite a st denis") is True
    assert answer("saint_denis_link", "je dors chez un ami à la Plaine") is True
    assert answer("saint_denis_link", "je n'habite pas à Saint-Denis") is False
    assert answer("saint_denis_link", "non j'habite à Bobigny") is False


@pytest.mark.parametrize("text", ["oui", "ok", "oui d'accord", "yes sure", "d'accord"])
def test_consent_is_a_clear_yes(text):
    assert answer("consent_given", text) is True


@pytest.mark.parametrize("text", ["asdf", "👍", "j'ai compris", "hmm", "j'ai 3 enfants", "je suis malade"])
def test_consent_is_never_read_from_anything_else(text):
    assert answer("consent_given", text, intent="affirm", confidence=0.9) is None


def test_the_intent_model_decides_only_what_the_words_leave_open_and_only_when_confident():
    assert answer("works_in_france", "hmm bah", intent="affirm", confidence=0.9) is True
    assert answer("works_in_france", "hmm bah", intent="affirm", confidence=0.4) is None
    assert answer("works_in_france", "non", intent="affirm", confidence=0.99) is False  # the words win


def test_a_plain_no_to_a_choice_question_means_what_the_choices_allow():
    assert answer("prior_ame_end", "non jamais") == "never"
    assert answer("prior_ame_end", "non") == "never"
    assert answer("prior_ame_end", "never") == "never"
    assert answer("prior_ame_end", "oui") is None  # when it ended decides: ask again
    assert answer("current_cover", "non rien du tout") == "none"
    assert answer("current_cover", "je sais pas") == "unknown"
    assert answer("benefits", "non aucune") == []


def test_payloads_mean_their_button():
    assert answer("has_photo_id", "/affirm", intent="affirm") is True
    question = interview.QUESTIONS["residence_status"]
    value = interview.interpret(question, text='/inform{"residence_status":"irregular"}', intent="inform",
                                entities={"residence_status": "irregular"}, language="fr", today=TODAY)
    assert value == "irregular"


def test_going_back_is_a_short_message_only():
    assert reading.wants_back("retour", "fr")
    assert reading.wants_back("non c'est faux", "fr")
    assert reading.wants_back("back", "en")
    assert not reading.wants_back("je veux un retour sur mon dossier de la CAF qui est faux depuis longtemps", "fr")


def test_facts_stated_in_a_first_message_are_kept():
    facts = reading.facts_stated("salut je suis malade", "fr")
    assert facts["health_problem"] is True
    assert reading.facts_stated("bonjour", "fr") == {}
    assert "health_problem" not in reading.facts_stated("je ne suis pas malade", "fr")


def test_the_person_s_language_and_french_and_english_are_read():
    assert answer("health_problem", "yes", language="ro") is True
    assert answer("health_problem", "oui", language="ar") is True


@pytest.mark.parametrize("text,language,expected", [
    ("my visa expired, no papers now", "en", "irregular"),
    ("visa sesh, kono papier nai", "bn", "irregular"),
    ("se me venció la visa", "es", "irregular"),
    ("my residence permit expired", "en", "permit_expired"),
    ("mon titre de séjour est fini", "fr", "permit_expired"),
])
def test_an_expired_visa_is_no_papers_an_expired_permit_is_not(text, language, expected):
    # The 6 months of kept PUMa follow a residence permit, never a tourist visa.
    assert answer("residence_status", text, language) == expected


@pytest.mark.parametrize("text", ["عندي الكارت فيتال بس بدون ميتويل", "كارت فيتال فقط", "ghir carte vitale bla mutuelle"])
def test_a_carte_vitale_without_mutuelle_is_puma_alone_in_arabic(text):
    # "without a mutuelle" next to the carte vitale is not "no cover": PUMa alone, CSS to apply for.
    assert answer("current_cover", text, "ar") == "puma_only"


@pytest.mark.parametrize("text,language,expected", [
    ("baste shode", "fa", "closed"),
    ("droits ferme shode", "fa", "closed"),
    ("c'est fini", "fr", "closed"),
    ("it expired", "en", "closed"),
])
def test_a_cover_said_to_have_ended_without_its_name_is_a_closed_cover(text, language, expected):
    assert answer("current_cover", text, language) == expected


def test_safety_words_are_read_in_every_language_and_not_in_ordinary_answers():
    assert reading.safety_words("jvais me SUICIDER")
    assert reading.safety_words("il m'a frappée hier")
    assert reading.safety_words("শ্বাস নিতে পারছি না") and reading.safety_words("amake mere felbe bolse")
    assert reading.safety_words("shoharam mano zad") and reading.safety_words("خودمو می کشم".replace(" ", "\u200c"))
    assert reading.safety_words("rajli kaydrebni") and reading.safety_words("مراتي كتولد")
    for ordinary in ["oui elle s'est arretee il y a 8 mois", "toute ma vie", "da stau la fratele meu",
                     "bale sardard daram", "chokran bzaf", "oui j'ai mal au dos", "sim tenho morada"]:
        assert not reading.safety_words(ordinary), ordinary


@pytest.mark.parametrize("text, language", [
    ("je suis hébergé chez un ami", "fr"), ("oui chez ma soeur", "fr"), ("da la fratele meu", "ro"),
    ("I'm staying with a friend", "en"), ("نعم عند صاحبي", "ar"), ("bale khone doostam", "fa"),
    ("me aloja un amigo", "es"), ("mon cousin m’héberge", "fr"), ("um amigo me hospeda", "pt"),
])
def test_staying_at_someone_s_told_at_another_question_answers_the_hosting_question(text, language):
    """"je suis hébergé chez un ami" at the address question: the hosting question is not asked next."""
    assert reading.facts_stated(text, language).get("hosted_by_third_party") is True


@pytest.mark.parametrize("text, language", [("non je suis chez moi", "fr"), ("je ne suis pas hébergé", "fr"),
                                            ("oui j'ai une adresse", "fr"), ("nu stau la prieteni", "ro"),
                                            ("nadie me aloja", "es")])
def test_no_hosting_is_read_where_none_is_said(text, language):
    assert "hosted_by_third_party" not in reading.facts_stated(text, language)


def test_in_english_a_statement_of_having_is_no_yes_by_itself():
    """"I have no ID" is a no; "I have a question" does not answer the urgency question."""
    assert answer("has_photo_id", "I have no ID", "en") is False
    assert answer("has_photo_id", "I have my passport", "en") is True
    assert answer("urgent", "I have a question", "en") is None
    assert answer("urgent", "yes", "en") is True


@pytest.mark.parametrize("text, language", [("toute ma vie", "fr"), ("depuis ma naissance", "fr"),
                                            ("all my life", "en"), ("m-am nascut aici", "ro"), ("طول حياتي", "ar")])
def test_all_my_life_in_france_is_the_age_in_months_or_at_least_18_years(text, language):
    question = interview.QUESTIONS["months_in_france"]
    read = lambda age: interview.interpret(question, text=text, intent=None, entities={}, language=language,
                                           today=TODAY, age=age)
    assert read(40) == 40 * 12
    # A French national is not asked the age: past every limit of the rules (3 and 6 months).
    # It used to be no answer, and "toute ma vie" then got the suicide prevention number.
    assert read(None) == 18 * 12
    assert interview.interpret(interview.QUESTIONS["months_since_permit_expiry"], text=text, intent=None,
                               entities={}, language=language, today=TODAY, age=52) is None


def test_the_right_of_residence_of_a_european_is_a_regular_stay():
    """A Romanian pensioner: "am drept de sejur" was not understood three times, then a handoff."""
    assert answer("residence_status", "sunt din romania, am drept de sejur, traiesc aici de 12 ani", "ro") == "regular"
    assert answer("residence_status", "j'ai le droit de séjour", "fr") == "regular"
    assert answer("residence_status", "tengo droit de sejour", "es") == "regular"


def test_algerian_and_egyptian_ih_is_a_yes_even_to_consent():
    assert answer("consent_given", "ih", "ar") is True
    assert answer("consent_given", "إيه", "ar") is True
    assert answer("consent_given", "ماشي", "ar") is None  # "OK" in Egypt, "not" in darija: asked again


@pytest.mark.parametrize("text, language, yearly", [
    ("900 euros mais a CAF 300", "pt", 1200 * 12),  # asked three times, then a handoff
    ("je gagne 900 et ma femme 300", "fr", 1200 * 12),
    ("salariu 1200 si alocatii 300", "ro", 1500 * 12),
    ("৯০০ আর ৩০০", "bn", 1200 * 12),
    ("entre 500 et 800", "fr", None),  # a range: either end may be wrong
    ("intre 500 si 800", "ro", None),
    ("900 ou 1000", "fr", None),
    ("avant 900 maintenant 300", "fr", None),
    ("2 enfants et 900 euros", "fr", None),
])
def test_amounts_said_one_after_the_other_are_added_never_a_range(text, language, yearly):
    assert answer("annual_resources", text, language) == yearly


@pytest.mark.parametrize("text, language, named", [
    ("j'ai maintenant mon acte de naissance", "fr", ["BIRTH_CERTIFICATE"]),
    ("c'est bon j'ai l'avis d'imposition et les fiches de paie", "fr", ["TAX_NOTICE", "PROOF_OF_ACTIVITY"]),
    ("je n'ai pas encore le passeport", "fr", []),
    ("I got the domiciliation certificate", "en", ["DOMICILIATION_CERTIFICATE"]),
    ("acum am certificatul de nastere", "ro", ["BIRTH_CERTIFICATE"]),
    ("دابا عندي شهادة الميلاد", "ar", ["BIRTH_CERTIFICATE"]),
    ("alan shenasname daram", "fa", ["BIRTH_CERTIFICATE"]),
    ("ja tenho o passaporte", "pt", ["ID_WITH_PHOTO"]),
    ("j'ai l'acte de naissance de mon fils", "fr", ["CHILD_IDENTITY"]),  # the longest phrase wins
])
def test_the_papers_a_person_says_they_have_are_named_in_every_language(text, language, named):
    assert reading.documents_named(text, language) == named


@pytest.mark.parametrize("text, language, expected", [
    ("outside europe", "en", "THIRD_COUNTRY"),  # at the nationality question, found by hand
    ("I am not european", "en", "THIRD_COUNTRY"),
    ("european", "en", "EU_EEA_CH"),
    ("hors europe", "fr", "THIRD_COUNTRY"),
    ("je suis pas européen", "fr", "THIRD_COUNTRY"),
    ("je suis européenne", "fr", "EU_EEA_CH"),
    ("soy de fuera de europa", "es", "THIRD_COUNTRY"),
    ("não europeu", "pt", "THIRD_COUNTRY"),
    ("sunt din afara europei", "ro", "THIRD_COUNTRY"),
])
def test_a_nationality_said_as_a_region_or_not_european(text, language, expected):
    assert answer("nationality_group", text, language=language) == expected
