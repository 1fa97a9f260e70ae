"""The shared catalogues as data: loaded by a migration, so every database has them.

The focus areas are those of the joint municipal digitalisation strategy 2016–2020 as seed 003
lists them; the SDGs carry the official Danish names of the UN's verdensmål.
"""

FOCUS_AREA_SOURCE = "Den fælleskommunale digitaliseringsstrategi 2016–2020"

FOCUS_AREAS = [
    (
        1,
        "Fælles fundament for en ny strategi",
        "Øge den fælles handlekraft ved at videreudvikle det kommunale samarbejde inden for "
        "rammerne af den fælles strategi.",
    ),
    (
        2,
        "Borgerbetjening 3.0",
        "Borgernes møde med den kommunale sektor skal være nært og personligt, uanset om det er "
        "via digitale løsninger eller fysisk fremmøde.",
    ),
    (
        3,
        "Offentlige data skal skabe effektivitet og merværdi",
        "Data skal genbruges på tværs og dermed skabe sammenhæng og ny viden.",
    ),
    (4, "Sikkerhed og tilgængelighed", "Der skal skabes tryghed om håndtering af oplysninger."),
    (
        5,
        "Kommunernes rammearkitektur",
        "Rammearkitekturen skal give it-løsninger, der hænger sammen på tværs, og hvor data kan "
        "genbruges.",
    ),
    (
        6,
        "Gevinstrealisering og kompetenceudvikling",
        "Fokus på lederes og medarbejderes digitale kompetencer, så de kan understøtte "
        "forandringsprocessen og realisere gevinstpotentialet.",
    ),
    (
        7,
        "Fællesoffentligt samarbejde om digitalisering",
        "Samarbejde på tværs med fokus på infrastruktur, datadeling og rammevilkår.",
    ),
    (
        8,
        "Effektiv styring og administration",
        "Skal muliggøre en mere effektiv opgavevaretagelse med bedre udnyttelse af kommunernes "
        "ressourcer.",
    ),
    (
        9,
        "Smart digital beskæftigelsesindsats",
        "Skal bidrage til et velfungerende arbejdsmarkedsområde ved at understøtte jobcentrene.",
    ),
    (
        10,
        "Borgerne skal i videst muligt omfang mestre eget liv",
        "Digitalisering skal på effektiv vis bidrage til, at borgere inddrages mest muligt og får "
        "større indflydelse på eget forløb.",
    ),
    (
        11,
        "Teknologi giver bedre fysiske rammer og bæredygtig vækst",
        "Digitalisering skal bidrage til at skabe gode fysiske rammer for bæredygtig vækst og "
        "udvikling.",
    ),
    (
        12,
        "Digital sammenhæng for børn og unge",
        "Digitalisering skal understøtte sammenhæng i børn og unges læring, herunder trivsel, så "
        "de udvikler sig og lærer nok til at kunne gennemføre en kompetencegivende uddannelse.",
    ),
]

SDGS = [
    (1, "Afskaf fattigdom", "No poverty"),
    (2, "Stop sult", "Zero hunger"),
    (3, "Sundhed og trivsel", "Good health and well-being"),
    (4, "Kvalitetsuddannelse", "Quality education"),
    (5, "Ligestilling mellem kønnene", "Gender equality"),
    (6, "Rent vand og sanitet", "Clean water and sanitation"),
    (7, "Bæredygtig energi", "Affordable and clean energy"),
    (8, "Anstændige jobs og økonomisk vækst", "Decent work and economic growth"),
    (9, "Industri, innovation og infrastruktur", "Industry, innovation and infrastructure"),
    (10, "Mindre ulighed", "Reduced inequalities"),
    (11, "Bæredygtige byer og lokalsamfund", "Sustainable cities and communities"),
    (12, "Ansvarligt forbrug og produktion", "Responsible consumption and production"),
    (13, "Klimaindsats", "Climate action"),
    (14, "Livet i havet", "Life below water"),
    (15, "Livet på land", "Life on land"),
    (16, "Fred, retfærdighed og stærke institutioner", "Peace, justice and strong institutions"),
    (17, "Partnerskaber for handling", "Partnerships for the goals"),
]


def load(focus_area_model, sdg_model) -> None:
    """Write both catalogues (idempotent). The migration passes its historical models; tests
    whose database was flushed (browser tests) pass the real ones."""
    for number, name, description in FOCUS_AREAS:
        focus_area_model.objects.update_or_create(
            number=number,
            defaults={"name": name, "description": description, "source": FOCUS_AREA_SOURCE},
        )
    for number, name, name_en in SDGS:
        sdg_model.objects.update_or_create(
            number=number, defaults={"name": name, "name_en": name_en}
        )


def ensure_loaded() -> None:
    """Load the catalogues unless they are there: a flushed test database lacks them."""
    from strategy.models import SDG, FocusArea

    if FocusArea.objects.count() < len(FOCUS_AREAS) or SDG.objects.count() < len(SDGS):
        load(FocusArea, SDG)
