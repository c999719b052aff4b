"""The demo's data: centres, venues, courses, closures and users, as plain dataclasses."""

from __future__ import annotations

import dataclasses
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

IOM_COURSES = (
    CourseSpec(
        slug="spotkania-adaptacyjne",
        kind="adaptation_meeting",
        title=Tr(
            pl="Spotkania adaptacyjne: życie w Polsce",
            uk="Адаптаційні зустрічі: життя в Польщі",
            en="Adaptation meetings: life in Poland",
            ru="Адаптационные встречи: жизнь в Польше",
        ),
        description=Tr(
            pl="Spotkania co dwa tygodnie o tym, jak załatwiać sprawy w urzędach, szukać "
            "pracy, zapisać dziecko do szkoły i korzystać z opieki zdrowotnej.",
            uk="Зустрічі раз на два тижні про те, як вирішувати справи в установах, шукати "
            "роботу, записати дитину до школи та користуватися медичною допомогою.",
            en="Meetings every other week on dealing with offices, finding work, enrolling "
            "children in school and using healthcare.",
            ru="Встречи раз в две недели о том, как решать вопросы в учреждениях, искать "
            "работу, записать ребёнка в школу и пользоваться медицинской помощью.",
        ),
        rule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;COUNT=5",
        start_time=time(17, 0),
        duration_minutes=120,
        weeks=-2,
        capacity=25,
        booking_mode="session",
    ),
    CourseSpec(
        slug="warsztaty-integracyjne",
        kind="workshop",
        title=Tr(
            pl="Warsztaty integracyjne dla dzieci i dorosłych",
            uk="Інтеграційні майстер-класи для дітей і дорослих",
            en="Integration workshops for children and adults",
            ru="Интеграционные мастер-классы для детей и взрослых",
        ),
        description=Tr(
            pl="Sobotnie warsztaty co dwa tygodnie dla całych rodzin: migrantów i mieszkańców "
            "Wrocławia.",
            uk="Суботні майстер-класи раз на два тижні для всієї родини: мігрантів і жителів "
            "Вроцлава.",
            en="Saturday workshops every other week for whole families, migrants and people of "
            "Wrocław.",
            ru="Субботние мастер-классы раз в две недели для всей семьи: мигрантов и жителей "
            "Вроцлава.",
        ),
        rule="FREQ=WEEKLY;INTERVAL=2;BYDAY=SA;COUNT=5",
        start_time=time(11, 0),
        duration_minutes=150,
        weeks=-1,
        audience="families",
        capacity=30,
        booking_mode="session",
    ),
    dataclasses.replace(
        POLISH_A1,
        slug="kurs-polskiego",
        rule="FREQ=WEEKLY;BYDAY=MO,WE;COUNT=24",
        start_time=time(18, 0),
        weeks=-5,
        capacity=18,
    ),
    dataclasses.replace(LANGUAGE_CLUB, rule="FREQ=WEEKLY;BYDAY=TU;COUNT=12", weeks=-2),
    dataclasses.replace(LAWYER, rule="FREQ=WEEKLY;BYDAY=TU"),
    dataclasses.replace(
        PSYCHOLOGIST,
        rule="FREQ=WEEKLY;BYDAY=TH",
        start_time=time(14, 0),
    ),
    CourseSpec(
        slug="dyzur-doradcy-podatkowego",
        kind="consultation",
        title=Tr(
            pl="Dyżur doradcy podatkowego",
            uk="Консультації податкового консультанта",
            en="Tax adviser consultations",
            ru="Консультации налогового консультанта",
        ),
        description=Tr(
            pl="PIT, ZUS, własna działalność gospodarcza: bezpłatne konsultacje z doradcą "
            "podatkowym.",
            uk="PIT, ZUS, власна підприємницька діяльність: безкоштовні консультації "
            "податкового консультанта.",
            en="Income tax (PIT), social insurance (ZUS), running your own business: free "
            "consultations with a tax adviser.",
            ru="PIT, ZUS, собственная предпринимательская деятельность: бесплатные "
            "консультации налогового консультанта.",
        ),
        rule="FREQ=WEEKLY;BYDAY=FR",
        start_time=time(12, 0),
        duration_minutes=120,
        weeks=-3,
        capacity=6,
        booking_mode="open",
    ),
    dataclasses.replace(
        FESTIVAL_TRACK,
        slug="skovoroda-fest-warsztaty-artystyczne",
        title=Tr(
            pl="Skovoroda Fest: warsztaty artystyczne",
            uk="Skovoroda Fest: мистецькі майстер-класи",
            en="Skovoroda Fest: art workshops",
            ru="Skovoroda Fest: художественные мастер-классы",
        ),
    ),
    dataclasses.replace(
        FESTIVAL_TRACK,
        slug="skovoroda-fest-muzyka-i-taniec",
        title=Tr(
            pl="Skovoroda Fest: muzyka i taniec",
            uk="Skovoroda Fest: музика і танець",
            en="Skovoroda Fest: music and dance",
            ru="Skovoroda Fest: музыка и танец",
        ),
    ),
    dataclasses.replace(
        FESTIVAL_TRACK,
        slug="skovoroda-fest-slowo-i-literatura",
        title=Tr(
            pl="Skovoroda Fest: słowo i literatura",
            uk="Skovoroda Fest: слово і література",
            en="Skovoroda Fest: words and literature",
            ru="Skovoroda Fest: слово и литература",
        ),
    ),
)

# --- Caritas: a Migrant and Refugee Assistance Centre --------------------------------------

CARITAS_COURSES = (
    dataclasses.replace(
        POLISH_A1,
        rule="FREQ=WEEKLY;BYDAY=TU,TH;COUNT=20",
        start_time=time(16, 0),
        weeks=-2,
        capacity=15,
        trainer=True,
    ),
    CourseSpec(
        slug="spotkania-seniorow",
        kind="workshop",
        title=Tr(
            pl="Spotkania integracyjne dla seniorów",
            uk="Інтеграційні зустрічі для людей похилого віку",
            en="Integration meetings for seniors",
            ru="Интеграционные встречи для пожилых людей",
        ),
        description=Tr(
            pl="Rozmowy, wspólne gotowanie i wyjścia do miasta dla seniorów z Polski "
            "i z zagranicy.",
            uk="Розмови, спільне приготування їжі та прогулянки містом для людей похилого віку "
            "з Польщі та з-за кордону.",
            en="Conversation, cooking together and outings in town for seniors from Poland "
            "and abroad.",
            ru="Беседы, совместное приготовление еды и прогулки по городу для пожилых людей "
            "из Польши и из-за рубежа.",
        ),
        rule="FREQ=WEEKLY;BYDAY=WE;COUNT=10",
        start_time=time(11, 0),
        duration_minutes=120,
        weeks=-1,
        audience="seniors",
        capacity=15,
        booking_mode="session",
    ),
    CourseSpec(
        slug="doradztwo-zawodowe",
        kind="consultation",
        title=Tr(
            pl="Doradztwo zawodowe",
            uk="Професійне консультування",
            en="Vocational guidance",
            ru="Профессиональное консультирование",
        ),
        description=Tr(
            pl="Pomoc w szukaniu pracy, pisaniu CV i planowaniu dalszej nauki. Bez zapisów.",
            uk="Допомога в пошуку роботи, написанні резюме та плануванні подальшого навчання. "
            "Без запису.",
            en="Help with finding work, writing a CV and planning further training. No booking.",
            ru="Помощь в поиске работы, составлении резюме и планировании дальнейшего "
            "обучения. Без записи.",
        ),
        rule="FREQ=WEEKLY;BYDAY=MO",
        start_time=time(12, 0),
        duration_minutes=180,
        weeks=-3,
        capacity=8,
        booking_mode="open",
    ),
)

# The five Wielkopolska Centra Integracji Cudzoziemców (seed 003: ROPS Poznań, 2023) share
# these; each is this template with its own name, town, contacts and courses.
# Seed 003: the pilot is co-financed by the national AMIF programme and the state budget.
CIC_FUNDING = Tr(
    pl="Projekt „Budowanie struktur dla integracji cudzoziemców w Polsce – etap II” "
    "współfinansowany ze środków Programu Krajowego Funduszu Azylu, Migracji i Integracji "
    "oraz z budżetu państwa.",
    uk="Проєкт «Будування структур для інтеграції іноземців у Польщі – етап II» "
    "співфінансується з коштів Національної програми Фонду притулку, міграції та інтеграції "
    "та з державного бюджету.",
    en="The project “Building structures for the integration of foreigners in Poland – "
    "stage II” is co-financed by the national programme of the Asylum, Migration and "
    "Integration Fund and the state budget.",
    ru="Проект «Построение структур для интеграции иностранцев в Польше – этап II» "
    "софинансируется из средств Национальной программы Фонда убежища, миграции и интеграции "
    "и государственного бюджета.",
)
# Seed 001: IOM Wrocław is funded by the United States Government.
IOM_FUNDING = Tr(
    pl="Projekt realizowany we współpracy z Międzynarodową Organizacją do spraw Migracji (IOM), "
    "finansowany przez rząd Stanów Zjednoczonych.",
    uk="Проєкт реалізується у співпраці з Міжнародною організацією з міграції (МОМ) "
    "і фінансується урядом США.",
    en="Implemented with the International Organization for Migration (IOM) and funded by "
    "the United States Government.",
    ru="Проект реализуется в сотрудничестве с Международной организацией по миграции (МОМ) "
    "и финансируется правительством США.",
)

CIC = CentreSpec(
    slug="",
    name="",
    network=CIC_NETWORK,
    city="",
    voivodeship="wielkopolskie",
    opening_hours=CIC_OPENING_HOURS,
    funding=CIC_FUNDING,
    eu_funded=True,
    demo_staff=True,
    closed_at_christmas=True,
)


CENTRES = (
    dataclasses.replace(
        CIC,
        slug="cic-leszno",
        name="Centrum Integracji Cudzoziemców w Lesznie",
        city="Leszno",
        address="Aleje Jana Pawła II 12",
        phone="887 068 112",
        email="info.cicleszno@rops.poznan.pl",
        courses=(
            POLISH_A1,
            POLISH_A2,
            LANGUAGE_CLUB,
            LAWYER,
            dataclasses.replace(PSYCHOLOGIST, rule="FREQ=WEEKLY;BYDAY=FR", start_time=time(12, 0)),
            CHILDREN_WORKSHOPS,
        ),
    ),
    dataclasses.replace(
        CIC,
        slug="cic-konin",
        name="Centrum Integracji Cudzoziemców w Koninie",
        city="Konin",
        address="ul. Chopina 23B",
        phone="887 067 112",
        email="info.cickonin@rops.poznan.pl",
        outreach=(VenueSpec("Biblioteka Publiczna", city="Koło"),),
        courses=(
            dataclasses.replace(POLISH_A1, rule="FREQ=WEEKLY;BYDAY=MO,WE;COUNT=24", weeks=-2),
            dataclasses.replace(
                LANGUAGE_CLUB,
                slug="klub-jezykowy-kolo",
                title=Tr(
                    pl="Klub językowy w Kole",
                    uk="Мовний клуб у Колі",
                    en="Language club in Koło",
                    ru="Языковой клуб в Коло",
                ),
                rule="FREQ=WEEKLY;BYDAY=TH;COUNT=12",
                start_time=time(17, 0),
                venue="Biblioteka Publiczna",
            ),
            dataclasses.replace(LAWYER, rule="FREQ=WEEKLY;BYDAY=WE"),
            CAREER_ADVISER_WUP,
            CHILDREN_WORKSHOPS,
        ),
    ),
    dataclasses.replace(
        CIC,
        slug="cic-poznan",
        name="Centrum Integracji Cudzoziemców w Poznaniu",
        city="Poznań",
        address="ul. Nowowiejskiego 25",
        phone="887 063 112",
        email="info.cicpoznan@rops.poznan.pl",
        courses=(
            dataclasses.replace(POLISH_A1, trainer=True),
            dataclasses.replace(POLISH_A2, trainer=True),
            dataclasses.replace(LANGUAGE_CLUB, rule="FREQ=WEEKLY;BYDAY=TH;COUNT=12"),
            LAWYER,
            PSYCHOLOGIST,
            dataclasses.replace(CAREER_ADVISER_WUP, rule="FREQ=WEEKLY;BYDAY=FR"),
            WUW_LEGALISATION,
            CHILDREN_WORKSHOPS,
        ),
    ),
    dataclasses.replace(
        CIC,
        slug="cic-kalisz",
        name="Centrum Integracji Cudzoziemców w Kaliszu",
        city="Kalisz",
        address="ul. Nowy Świat 13",
        phone="887 069 112",
        email="info.cickalisz@rops.poznan.pl",
        courses=(
            dataclasses.replace(POLISH_A1, start_time=time(16, 30), weeks=-5),
            dataclasses.replace(POLISH_A2, rule="FREQ=WEEKLY;BYDAY=MO,TH;COUNT=24", weeks=1),
            dataclasses.replace(LANGUAGE_CLUB, rule="FREQ=WEEKLY;BYDAY=TU;COUNT=12"),
            PSYCHOLOGIST,
            dataclasses.replace(CAREER_ADVISER_WUP, rule="FREQ=WEEKLY;BYDAY=WE"),
            CHILDREN_WORKSHOPS,
        ),
    ),
    dataclasses.replace(
        CIC,
        slug="cic-pila",
        name="Centrum Integracji Cudzoziemców w Pile",
        city="Piła",
        address="Al. Powstańców Wielkopolskich 75/13",
        phone="887 066 112",
        email="info.cicpila@rops.poznan.pl",
        outreach=(VenueSpec("Biblioteka Publiczna", city="Chodzież"),),
        courses=(
            dataclasses.replace(POLISH_A1, weeks=0),
            LANGUAGE_CLUB,
            dataclasses.replace(LAWYER, rule="FREQ=WEEKLY;BYDAY=TH", start_time=time(13, 0)),
            dataclasses.replace(PSYCHOLOGIST, rule="FREQ=WEEKLY;BYDAY=TU"),
            dataclasses.replace(
                CHILDREN_WORKSHOPS,
                slug="warsztaty-dla-dzieci-chodziez",
                title=Tr(
                    pl="Warsztaty integracyjne dla dzieci w Chodzieży",
                    uk="Інтеграційні майстер-класи для дітей у Ходзежі",
                    en="Integration workshops for children in Chodzież",
                    ru="Интеграционные мастер-классы для детей в Ходзеже",
                ),
                venue="Biblioteka Publiczna",
            ),
        ),
    ),
    # Seed 001 names no street address, phone or e-mail: they stay blank.
    CentreSpec(
        slug="iom-wroclaw",
        name="Wrocławskie Centrum Integracji IOM",
        network="IOM",
        city="Wrocław",
        voivodeship="dolnoslaskie",
        courses=IOM_COURSES,
        funding=IOM_FUNDING,
    ),
    # Seed 000 describes the network only: no street address, phone or e-mail.
    CentreSpec(
        slug="caritas-poznan",
        name="Centrum Pomocy Migrantom i Uchodźcom Caritas",
        network="Caritas Polska",
        city="Poznań",
        voivodeship="wielkopolskie",
        courses=CARITAS_COURSES,
    ),
)
