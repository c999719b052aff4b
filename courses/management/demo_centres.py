"""The demo's centres (seeds 001–003): the five CIC centres of Wielkopolska, IOM Wrocław and
Caritas Poznań, with their venues, contacts, funding lines and courses (the CIC ones from the
templates of `courses.management.demo_data`)."""

from __future__ import annotations

import dataclasses
from datetime import time

from courses.management.demo_data import (
    CAREER_ADVISER_WUP,
    CHILDREN_WORKSHOPS,
    CIC_NETWORK,
    CIC_OPENING_HOURS,
    FESTIVAL_TRACK,
    LANGUAGE_CLUB,
    LAWYER,
    POLISH_A1,
    POLISH_A2,
    PSYCHOLOGIST,
    WUW_LEGALISATION,
    CentreSpec,
    CourseSpec,
    Tr,
    VenueSpec,
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
