"""The demo's appointments as data: which duty hours of the seed centres are booked in slots
(and how), their specialists with the languages they consult in, the interpreters for
Ukrainian, Russian and Georgian with their duty hours, and a few appointments already booked.

The duty hours are those of `courses/management/demo_data.py` (lawyer, psychologist, tax
adviser, WUP career adviser, WUW legalisation officer); the Caritas vocational guidance stays a
drop-in ("just come"), so the demo shows both. Interpreters' phone numbers are in Ofcom's range
for drama, like the demo's people (`courses/management/demo_people.py`), from 900901 on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from courses.management.demo_data import Tr
from courses.management.demo_people import FICTION_PREFIX
from courses.models import Specialty


@dataclass(frozen=True)
class SlotSpec:
    """How a consultation is booked: its slots, window, cutoff and mode; its new description
    (the seed's said "no booking")."""

    slot_minutes: int
    buffer_minutes: int
    description: Tr
    specialty: str
    mode: str = "in_person"
    window_days: int = 28
    cutoff_hours: int = 2


LAWYER_SLOTS = SlotSpec(
    slot_minutes=30,
    buffer_minutes=15,
    specialty=Specialty.LEGAL,
    description=Tr(
        pl="Bezpłatne porady prawne: pobyt, praca, sprawy rodzinne i mieszkaniowe. Zarezerwuj "
        "30 minut w swoim języku; jeśli prawnik go nie zna, będzie tłumacz.",
        uk="Безкоштовні юридичні консультації: перебування, робота, сімейні та житлові "
        "питання. Забронюйте 30 хвилин своєю мовою; якщо юрист її не знає, буде перекладач.",
        en="Free legal advice: residence, work, family and housing matters. Book 30 minutes in "
        "your language; if the lawyer does not speak it, an interpreter will be there.",
        ru="Бесплатные юридические консультации: пребывание, работа, семейные и жилищные "
        "вопросы. Забронируйте 30 минут на своём языке; если юрист его не знает, будет "
        "переводчик.",
    ),
)
PSYCHOLOGIST_SLOTS = SlotSpec(
    slot_minutes=50,
    buffer_minutes=10,
    # Psychological support is sensitive by default (its SMS say only "your appointment at
    # the centre"): the course service makes it so, nothing is set here.
    specialty=Specialty.PSYCHOLOGICAL,
    description=Tr(
        pl="Bezpłatne i poufne rozmowy z psychologiem, 50 minut. SMS-y nie mówią, czego "
        "dotyczy wizyta.",
        uk="Безкоштовні та конфіденційні розмови з психологом, 50 хвилин. SMS не кажуть, "
        "чого стосується зустріч.",
        en="Free, confidential talks with a psychologist, 50 minutes. The SMS never say what "
        "the appointment is about.",
        ru="Бесплатные и конфиденциальные беседы с психологом, 50 минут. SMS не говорят, "
        "чего касается встреча.",
    ),
)
TAX_SLOTS = SlotSpec(
    slot_minutes=30,
    buffer_minutes=0,
    specialty=Specialty.TAX,
    mode="phone",
    description=Tr(
        pl="PIT, ZUS, własna działalność gospodarcza: bezpłatna rozmowa telefoniczna "
        "z doradcą podatkowym (30 minut). Doradca dzwoni o umówionej godzinie.",
        uk="PIT, ZUS, власна підприємницька діяльність: безкоштовна телефонна розмова "
        "з податковим консультантом (30 хвилин). Консультант телефонує у призначений час.",
        en="Income tax (PIT), social insurance (ZUS), running your own business: a free phone "
        "call with a tax adviser (30 minutes). The adviser calls you at the time booked.",
        ru="PIT, ZUS, собственная предпринимательская деятельность: бесплатный телефонный "
        "разговор с налоговым консультантом (30 минут). Консультант звонит в назначенное время.",
    ),
)
WUP_SLOTS = SlotSpec(
    slot_minutes=45,
    buffer_minutes=15,
    specialty=Specialty.CAREER,
    description=Tr(
        pl="Doradca zawodowy Wojewódzkiego Urzędu Pracy w Poznaniu pomaga w szukaniu pracy, "
        "pisaniu CV i wyborze szkoleń. Spotkanie trwa 45 minut.",
        uk="Кар'єрний радник Воєводського управління праці в Познані допомагає з пошуком "
        "роботи, складанням резюме та вибором курсів. Зустріч триває 45 хвилин.",
        en="A career adviser from the Provincial Labour Office in Poznań helps with job "
        "search, CVs and choosing training. An appointment takes 45 minutes.",
        ru="Профориентатор Воеводского управления труда в Познани помогает с поиском работы, "
        "составлением резюме и выбором курсов. Встреча длится 45 минут.",
    ),
)
WUW_SLOTS = SlotSpec(
    slot_minutes=20,
    buffer_minutes=10,
    specialty=Specialty.LEGALISATION,
    window_days=21,
    cutoff_hours=24,
    description=Tr(
        pl="Pracownicy Wielkopolskiego Urzędu Wojewódzkiego wyjaśniają, jakie dokumenty są "
        "potrzebne do legalnego pobytu i pracy, i pomagają przygotować wniosek. Rezerwacja "
        "do 24 godzin przed wizytą.",
        uk="Працівники Великопольського воєводського управління пояснюють, які документи "
        "потрібні для легального перебування та роботи, і допомагають підготувати заяву. "
        "Бронювання до 24 годин перед зустріччю.",
        en="Staff of the Wielkopolska Voivodeship Office explain which documents you need to "
        "stay and work legally and help you prepare the application. Book up to 24 hours "
        "before.",
        ru="Сотрудники Великопольского воеводского управления объясняют, какие документы "
        "нужны для легального пребывания и работы, и помогают подготовить заявление. "
        "Бронирование до 24 часов до встречи.",
    ),
)

# Course slug (in every centre that has it) -> how it is booked.
SLOT_COURSES = {
    "dyzur-prawnika": LAWYER_SLOTS,
    "dyzur-psychologa": PSYCHOLOGIST_SLOTS,
    "dyzur-doradcy-podatkowego": TAX_SLOTS,
    "dyzur-doradcy-zawodowego-wup": WUP_SLOTS,
    "dyzur-wuw-legalizacja": WUW_SLOTS,
}

# The consultations that stay drop-ins, with their kind (for the funders' report).
DROP_IN_SPECIALTIES = {"doradztwo-zawodowe": Specialty.CAREER}


@dataclass(frozen=True)
class SpecialistSpec:
    """A specialist (the trainer of these duty hours) and the languages they consult in; none
    would mean Polish. `password`: a demo login (the specialist's own day view and feed)."""

    username: str
    first_name: str
    last_name: str
    languages: tuple[str, ...]
    courses: tuple[tuple[str, str], ...]  # (centre slug, course slug)
    password: str = ""


SPECIALISTS = (
    SpecialistSpec(
        "demo-lawyer",
        "Anna",
        "Nowak",
        ("pl", "en"),
        (("cic-poznan", "dyzur-prawnika"), ("cic-konin", "dyzur-prawnika")),
        password="demo-lawyer",  # noqa: S106 (a demo login: load_demo runs only with DEBUG)
    ),
    SpecialistSpec(
        "demo-lawyer-leszno", "Marek", "Kaczmarek", ("pl",), (("cic-leszno", "dyzur-prawnika"),)
    ),
    SpecialistSpec(
        "demo-lawyer-pila", "Joanna", "Mazur", ("pl", "ru"), (("cic-pila", "dyzur-prawnika"),)
    ),
    SpecialistSpec(
        "demo-psychologist",
        "Iryna",
        "Savchenko",
        ("uk", "ru", "pl"),
        (
            ("cic-poznan", "dyzur-psychologa"),
            ("cic-leszno", "dyzur-psychologa"),
            ("cic-pila", "dyzur-psychologa"),
        ),
    ),
    SpecialistSpec(
        "demo-psychologist-kalisz",
        "Ewa",
        "Lewandowska",
        ("pl", "en"),
        (("cic-kalisz", "dyzur-psychologa"),),
    ),
    SpecialistSpec(
        "demo-career-adviser",
        "Tomasz",
        "Wiśniewski",
        ("pl",),
        (
            ("cic-poznan", "dyzur-doradcy-zawodowego-wup"),
            ("cic-konin", "dyzur-doradcy-zawodowego-wup"),
            ("cic-kalisz", "dyzur-doradcy-zawodowego-wup"),
        ),
    ),
    SpecialistSpec(
        "demo-wuw-officer",
        "Katarzyna",
        "Zielińska",
        ("pl", "en"),
        (("cic-poznan", "dyzur-wuw-legalizacja"),),
    ),
    SpecialistSpec(
        "demo-iom-lawyer", "Piotr", "Wójcik", ("pl", "en"), (("iom-wroclaw", "dyzur-prawnika"),)
    ),
    SpecialistSpec(
        "demo-iom-psychologist",
        "Oksana",
        "Hrytsenko",
        ("uk", "ru"),
        (("iom-wroclaw", "dyzur-psychologa"),),
    ),
    SpecialistSpec(
        "demo-iom-tax-adviser",
        "Agnieszka",
        "Dąbrowska",
        ("pl",),
        (("iom-wroclaw", "dyzur-doradcy-podatkowego"),),
    ),
)


@dataclass(frozen=True)
class HoursSpec:
    centre: str  # slug: the interpreter's centre or another of its network
    weekday: int  # Monday 0
    starts_at: time
    ends_at: time


@dataclass(frozen=True)
class InterpreterSpec:
    name: str
    centre: str
    languages: str
    number: int  # the phone: FICTION_PREFIX + this, 900901 on
    hours: tuple[HoursSpec, ...]

    @property
    def phone(self) -> str:
        return f"{FICTION_PREFIX}{self.number:03d}"


MO, TU, WE, TH, FR = range(5)
INTERPRETERS = (
    # Ukrainian and Russian at Poznań on the lawyer's, the WUW officer's and the career
    # adviser's mornings, and at Konin on Tuesdays (the career adviser there).
    InterpreterSpec(
        "Oleksandra Petrenko (demo)",
        "cic-poznan",
        "uk,ru",
        901,
        (
            HoursSpec("cic-poznan", MO, time(9), time(14)),
            HoursSpec("cic-poznan", WE, time(9), time(14)),
            HoursSpec("cic-poznan", FR, time(9), time(14)),
            HoursSpec("cic-konin", TU, time(9), time(14)),
        ),
    ),
    # Georgian (and Russian) at Poznań on three mornings.
    InterpreterSpec(
        "Tamar Lomidze (demo)",
        "cic-poznan",
        "ka,ru",
        902,
        (
            HoursSpec("cic-poznan", MO, time(10), time(12)),
            HoursSpec("cic-poznan", WE, time(10), time(13)),
            HoursSpec("cic-poznan", FR, time(10), time(13)),
        ),
    ),
    # Ukrainian in the smaller centres of the network (Konin, Leszno, Piła).
    InterpreterSpec(
        "Bohdan Hrytsak (demo)",
        "cic-konin",
        "uk",
        903,
        (
            HoursSpec("cic-konin", WE, time(9), time(14)),
            HoursSpec("cic-leszno", MO, time(9), time(13)),
            HoursSpec("cic-pila", TH, time(12), time(17)),
        ),
    ),
    # IOM Wrocław is a network of its own: its interpreter works there only.
    InterpreterSpec(
        "Mariam Kvaratskhelia (demo)",
        "iom-wroclaw",
        "ka,ru,uk",
        904,
        (
            HoursSpec("iom-wroclaw", TU, time(10), time(13)),
            HoursSpec("iom-wroclaw", FR, time(12), time(14)),
        ),
    ),
)


@dataclass(frozen=True)
class BookingSpec:
    """An appointment in the next duty hours of a consultation at the demo centre: the
    `nth` free slot (in time order) of that day, for the demo person `person` (index in
    `courses.management.demo_people.PEOPLE`), in `language`, held the course's way or `mode`."""

    course: str
    nth: int
    person: int
    language: str
    mode: str = ""  # another way than the course's for this slot
    video_link: str = ""


BOOKINGS = (
    BookingSpec("dyzur-prawnika", 0, 0, "uk"),  # the lawyer speaks pl, en: an interpreter
    BookingSpec("dyzur-prawnika", 1, 20, "pl"),
    BookingSpec("dyzur-prawnika", 2, 10, "ka"),  # Georgian: the other interpreter
    BookingSpec("dyzur-wuw-legalizacja", 0, 7, "ru"),
    BookingSpec("dyzur-wuw-legalizacja", 1, 13, "en"),
    BookingSpec("dyzur-psychologa", 0, 3, "uk"),  # she speaks Ukrainian herself
    # One career-advice slot by video (the course is in person): the link is on the person's
    # page only. example.org is reserved for examples (RFC 2606): it reaches no meeting.
    BookingSpec(
        "dyzur-doradcy-zawodowego-wup",
        0,
        15,
        "uk",
        mode="video",
        video_link="https://meet.example.org/cic-poznan-wup-demo",
    ),
)
# The lawyer's slot after the last booking is blocked (she is away for an hour).
BLOCKED_AFTER = ("dyzur-prawnika", 3)
