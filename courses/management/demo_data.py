"""The demo's data: users, closures and the course templates the centres share, as plain dataclasses
(the centres themselves are in `demo_centres.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

MAIN_VENUE = "Siedziba centrum"
CIC_NETWORK = "Centra Integracji Cudzoziemców (ROPS Poznań)"
# The demo staff member is in the "Centre staff" group (courses.services.staff).


@dataclass(frozen=True)
class Tr:
    """One text in the four languages of the site."""

    pl: str
    uk: str = ""
    en: str = ""
    ru: str = ""


@dataclass(frozen=True)
class UserSpec:
    username: str
    password: str
    is_staff: bool = False
    is_superuser: bool = False
    in_staff_group: bool = False


@dataclass(frozen=True)
class VenueSpec:
    name: str
    city: str
    address: str = ""


# Choice fields (kind, audience, level, booking_mode, waitlist_mode, voivodeship) hold the values
# of the `courses.models` choices; `full_clean` checks them when the command saves the objects.
@dataclass(frozen=True)
class CourseSpec:
    """A course. `rule` is an RRULE value; its BYDAY (plain weekdays) fixes the first date.

    The first date is the first matching day on or after today + `weeks` weeks (negative: the
    course is already running). With an empty rule the course is a one-off on a `weekday`, plus
    RDATE sessions `extra` given as (days after the first date, local "HH:MM"); such a course is
    moved a week on until none of its days is a public holiday.
    """

    slug: str
    kind: str
    title: Tr
    description: Tr
    rule: str
    start_time: time
    duration_minutes: int
    weeks: int = 0
    weekday: str = ""
    extra: tuple[tuple[int, str], ...] = ()
    audience: str = "adults"
    level: str = ""
    capacity: int = 16
    booking_mode: str = "course"
    waitlist_mode: str = "auto"
    venue: str = MAIN_VENUE
    trainer: bool = False


@dataclass(frozen=True)
class CentreSpec:
    slug: str
    name: str
    network: str
    city: str
    voivodeship: str
    address: str = ""
    phone: str = ""
    email: str = ""
    opening_hours: Tr | None = None
    outreach: tuple[VenueSpec, ...] = ()
    courses: tuple[CourseSpec, ...] = ()
    demo_staff: bool = False
    closed_at_christmas: bool = False
    funding: Tr | None = None  # the funding line under the centre's pages
    eu_funded: bool = False  # shows the EU emblem with "Co-funded by the European Union"


USERS = (
    UserSpec("demo-staff", "demo-staff", is_staff=True, in_staff_group=True),
    UserSpec("demo-admin", "demo-admin", is_staff=True, is_superuser=True),
    UserSpec("demo-trainer", "demo-trainer"),
)
STAFF_USER, TRAINER_USER = "demo-staff", "demo-trainer"

CIC_OPENING_HOURS = Tr(
    pl="Czynne 5 dni w tygodniu (od poniedziałku do piątku), co najmniej raz w tygodniu "
    "do 19:00, a także w wybrane soboty.",
    uk="Працює 5 днів на тиждень (з понеділка до п'ятниці), щонайменше один раз на тиждень "
    "до 19:00, а також у деякі суботи.",
    en="Open 5 days a week (Monday to Friday), at least once a week until 19:00, and on "
    "selected Saturdays.",
    ru="Работает 5 дней в неделю (с понедельника по пятницу), как минимум один раз в неделю "
    "до 19:00, а также в некоторые субботы.",
)

CHRISTMAS_BREAK_REASON = Tr(
    pl="Przerwa świąteczna",
    uk="Різдвяна перерва",
    en="Christmas break",
    ru="Рождественский перерыв",
)

# --- Courses of the Wielkopolska centres (varied per centre with dataclasses.replace) -------

POLISH_A1 = CourseSpec(
    slug="kurs-polskiego-a1",
    kind="polish_course",
    title=Tr(
        pl="Kurs języka polskiego A1",
        uk="Курс польської мови A1",
        en="Polish course A1",
        ru="Курс польского языка A1",
    ),
    description=Tr(
        pl="Kurs dla osób zaczynających naukę polskiego: codzienne sytuacje, urząd, lekarz, "
        "praca. Dwa spotkania po 90 minut w tygodniu.",
        uk="Курс для тих, хто починає вивчати польську: повсякденні ситуації, установи, "
        "лікар, робота. Два заняття по 90 хвилин на тиждень.",
        en="For beginners: everyday situations, offices, the doctor, work. Two 90-minute "
        "classes a week.",
        ru="Курс для начинающих изучать польский: повседневные ситуации, учреждения, врач, "
        "работа. Два занятия по 90 минут в неделю.",
    ),
    rule="FREQ=WEEKLY;BYDAY=TU,TH;COUNT=24",
    start_time=time(17, 30),
    duration_minutes=90,
    weeks=-3,
    level="A1",
    capacity=16,
)
POLISH_A2 = CourseSpec(
    slug="kurs-polskiego-a2",
    kind="polish_course",
    title=Tr(
        pl="Kurs języka polskiego A2",
        uk="Курс польської мови A2",
        en="Polish course A2",
        ru="Курс польского языка A2",
    ),
    description=Tr(
        pl="Dla osób, które znają podstawy: rozmowa, pisanie prostych pism i przygotowanie "
        "do egzaminu. Dwa spotkania po 90 minut w tygodniu.",
        uk="Для тих, хто знає основи: розмова, написання простих листів і підготовка до "
        "іспиту. Два заняття по 90 хвилин на тиждень.",
        en="For those who know the basics: conversation, writing simple letters, exam "
        "practice. Two 90-minute classes a week.",
        ru="Для тех, кто знает основы: разговор, написание простых писем и подготовка к "
        "экзамену. Два занятия по 90 минут в неделю.",
    ),
    rule="FREQ=WEEKLY;BYDAY=MO,WE;COUNT=24",
    start_time=time(17, 30),
    duration_minutes=90,
    weeks=2,
    level="A2",
    capacity=14,
    waitlist_mode="offer",
)
LANGUAGE_CLUB = CourseSpec(
    slug="klub-jezykowy",
    kind="language_club",
    title=Tr(
        pl="Klub językowy – rozmowy po polsku",
        uk="Мовний клуб – розмови польською",
        en="Language club – speaking Polish",
        ru="Языковой клуб – разговоры на польском",
    ),
    description=Tr(
        pl="Raz w tygodniu przy herbacie rozmawiamy po polsku o codziennych sprawach. "
        "Bez zapisów – wystarczy przyjść.",
        uk="Раз на тиждень за чаєм говоримо польською про повсякденні справи. "
        "Без запису – просто приходьте.",
        en="Once a week over tea we talk in Polish about everyday matters. No booking – just come.",
        ru="Раз в неделю за чаем говорим по-польски о повседневных делах. "
        "Без записи – просто приходите.",
    ),
    rule="FREQ=WEEKLY;BYDAY=WE;COUNT=12",
    start_time=time(18, 0),
    duration_minutes=90,
    weeks=-1,
    audience="all",
    capacity=20,
    booking_mode="open",
)
LAWYER = CourseSpec(
    slug="dyzur-prawnika",
    kind="consultation",
    title=Tr(
        pl="Dyżur prawnika",
        uk="Консультації юриста",
        en="Lawyer's duty hours",
        ru="Консультации юриста",
    ),
    description=Tr(
        pl="Bezpłatne porady prawne: pobyt, praca, sprawy rodzinne i mieszkaniowe. "
        "Bez zapisów, w kolejności przyjścia.",
        uk="Безкоштовні юридичні консультації: перебування, робота, сімейні та житлові "
        "питання. Без запису, в порядку черги.",
        en="Free legal advice: residence, work, family and housing matters. "
        "No booking, first come, first served.",
        ru="Бесплатные юридические консультации: пребывание, работа, семейные и жилищные "
        "вопросы. Без записи, в порядке очереди.",
    ),
    rule="FREQ=WEEKLY;BYDAY=MO",
    start_time=time(10, 0),
    duration_minutes=180,
    weeks=-4,
    capacity=8,
    booking_mode="open",
)
PSYCHOLOGIST = CourseSpec(
    slug="dyzur-psychologa",
    kind="consultation",
    title=Tr(
        pl="Dyżur psychologa",
        uk="Консультації психолога",
        en="Psychologist's duty hours",
        ru="Консультации психолога",
    ),
    description=Tr(
        pl="Bezpłatne i poufne rozmowy z psychologiem. Bez zapisów.",
        uk="Безкоштовні та конфіденційні розмови з психологом. Без запису.",
        en="Free, confidential talks with a psychologist. No booking.",
        ru="Бесплатные и конфиденциальные беседы с психологом. Без записи.",
    ),
    rule="FREQ=WEEKLY;BYDAY=TH",
    start_time=time(15, 0),
    duration_minutes=180,
    weeks=-4,
    capacity=6,
    booking_mode="open",
)
CAREER_ADVISER_WUP = CourseSpec(
    slug="dyzur-doradcy-zawodowego-wup",
    kind="consultation",
    title=Tr(
        pl="Dyżur doradcy zawodowego WUP",
        uk="Консультації кар'єрного радника WUP",
        en="Career adviser from the Provincial Labour Office (WUP)",
        ru="Консультации профориентатора WUP",
    ),
    description=Tr(
        pl="Doradca zawodowy Wojewódzkiego Urzędu Pracy w Poznaniu pomaga w szukaniu pracy, "
        "pisaniu CV i wyborze szkoleń.",
        uk="Кар'єрний радник Воєводського управління праці в Познані допомагає з пошуком "
        "роботи, складанням резюме та вибором курсів.",
        en="A career adviser from the Provincial Labour Office in Poznań helps with job "
        "search, CVs and choosing training.",
        ru="Профориентатор Воеводского управления труда в Познани помогает с поиском работы, "
        "составлением резюме и выбором курсов.",
    ),
    rule="FREQ=WEEKLY;BYDAY=TU",
    start_time=time(10, 0),
    duration_minutes=180,
    weeks=-2,
    capacity=8,
    booking_mode="open",
)
WUW_LEGALISATION = CourseSpec(
    slug="dyzur-wuw-legalizacja",
    kind="consultation",
    title=Tr(
        pl="Dyżur WUW: legalizacja pobytu i pracy",
        uk="Чергування WUW: легалізація перебування та роботи",
        en="Voivodeship Office (WUW) duty hours: residence and work permits",
        ru="Дежурство WUW: легализация пребывания и работы",
    ),
    description=Tr(
        pl="Pracownicy Wielkopolskiego Urzędu Wojewódzkiego wyjaśniają, jakie dokumenty są "
        "potrzebne do legalnego pobytu i pracy, i pomagają przygotować wniosek.",
        uk="Працівники Великопольського воєводського управління пояснюють, які документи "
        "потрібні для легального перебування та роботи, і допомагають підготувати заяву.",
        en="Staff of the Wielkopolska Voivodeship Office explain which documents you need to "
        "stay and work legally and help you prepare the application.",
        ru="Сотрудники Великопольского воеводского управления объясняют, какие документы "
        "нужны для легального пребывания и работы, и помогают подготовить заявление.",
    ),
    rule="FREQ=WEEKLY;BYDAY=WE",
    start_time=time(9, 0),
    duration_minutes=240,
    weeks=-4,
    capacity=12,
    booking_mode="open",
)
CHILDREN_WORKSHOPS = CourseSpec(
    slug="warsztaty-dla-dzieci",
    kind="workshop",
    title=Tr(
        pl="Warsztaty integracyjne dla dzieci",
        uk="Інтеграційні майстер-класи для дітей",
        en="Integration workshops for children",
        ru="Интеграционные мастер-классы для детей",
    ),
    description=Tr(
        pl="Zajęcia plastyczne, muzyczne i ruchowe dla dzieci polskich i cudzoziemskich "
        "w wieku 6–12 lat. Zapis na każde spotkanie osobno.",
        uk="Творчі, музичні та рухливі заняття для польських та іноземних дітей віком "
        "6–12 років. Запис на кожну зустріч окремо.",
        en="Art, music and movement for Polish and foreign children aged 6–12. "
        "Book each meeting separately.",
        ru="Творческие, музыкальные и подвижные занятия для польских и иностранных детей "
        "6–12 лет. Запись на каждую встречу отдельно.",
    ),
    rule="FREQ=WEEKLY;INTERVAL=2;BYDAY=SA;COUNT=6",
    start_time=time(10, 0),
    duration_minutes=120,
    weeks=1,
    audience="children",
    capacity=15,
    booking_mode="session",
)

# --- IOM Wrocław: the activities of the Wrocław Integration Centre project ------------------

# Skovoroda Fest, Friday to Sunday: each track's first session is its own start (Friday 15:00),
# these are the other nine. 3 tracks x 10 sessions x 2 hours = 60 hours of workshops.
FESTIVAL_SLOTS = (
    (0, "17:00"),
    (1, "10:00"),
    (1, "12:00"),
    (1, "14:30"),
    (1, "16:30"),
    (2, "10:00"),
    (2, "12:00"),
    (2, "14:30"),
    (2, "16:30"),
)
FESTIVAL_DESCRIPTION = Tr(
    pl="Jedna z trzech równoległych ścieżek warsztatów festiwalu Skovoroda Fest: razem 60 godzin "
    "zajęć od piątku do niedzieli. Zapis na każde zajęcia osobno.",
    uk="Одна з трьох паралельних програм майстер-класів фестивалю Skovoroda Fest: разом "
    "60 годин занять з п'ятниці до неділі. Запис на кожне заняття окремо.",
    en="One of three parallel workshop tracks of Skovoroda Fest: 60 hours of workshops in all, "
    "Friday to Sunday. Book each workshop separately.",
    ru="Одна из трёх параллельных программ мастер-классов фестиваля Skovoroda Fest: всего "
    "60 часов занятий с пятницы по воскресенье. Запись на каждое занятие отдельно.",
)
FESTIVAL_TRACK = CourseSpec(
    slug="",
    kind="festival_session",
    title=Tr(pl=""),
    description=FESTIVAL_DESCRIPTION,
    rule="",
    weekday="FR",
    extra=FESTIVAL_SLOTS,
    start_time=time(15, 0),
    duration_minutes=120,
    weeks=3,
    audience="all",
    capacity=25,
    booking_mode="session",
)
