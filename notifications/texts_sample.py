"""A long, realistic context to show staff each text's worst-case size."""

SAMPLE_CONTEXT = {
    "course_id": 0,
    "sensitive": False,
    "title": {
        "pl": "Kurs języka polskiego A2 dla dorosłych",
        "uk": "Курс польської мови A2 для дорослих",
        "en": "Polish language course A2 for adults",
        "ru": "Курс польского языка A2 для взрослых",
    },
    "centre": "Centrum Integracji Cudzoziemców w Poznaniu",
    "place": "Sala 204, ul. Nowowiejskiego 25",
    "starts_at": "2027-03-30T18:00:00+02:00",
    "previous_start": None,
    "tz": "Europe/Warsaw",
    "position": 12,
    "offer_until": "2027-03-28T18:00:00+02:00",
    "link": "https://zapisy.example.org/me/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/",
    "code": "123456",
    # The note staff may put in a cancellation or move notice (cut to fit there).
    "note": "Trenerka jest chora. Zamiast tego zapraszamy w sobotę 3 kwietnia o 10:00 do sali 12.",
    # A message to people as staff write it: Polish and Ukrainian; English and Russian speakers
    # get the Polish text.
    "texts": {
        "pl": "Zajęcia dziś odwołane: lektorka jest chora. Następne zajęcia w czwartek o 18:00.",
        "uk": "Заняття сьогодні скасовано: викладачка захворіла. Наступне в четвер о 18:00.",
    },
}
