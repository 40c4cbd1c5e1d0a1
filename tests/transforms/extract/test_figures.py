import pytest

from tests.conftest import seed_text
from transforms.clean import clean_text
from transforms.extract.figures import extract_figures


def figs(nlp, text):
    return [(f.value, f.value_max, f.unit, f.kind, f.qualifier) for f in extract_figures(nlp(text))]


@pytest.mark.parametrize("text,expected", [
    ("Over 3,000 US troops have returned.", (3000, None, "troop", "count", "at_least")),
    ("The video drew 2K views in an hour.", (2000, None, "view", "count", "exact")),
    ("Up to 3,500 soldiers are expected to travel.", (3500, None, "soldier", "count", "at_most")),
    ("The cost of oil is $38 a barrel.", (38, None, "USD", "money", "exact")),
    ("Monthly revenues exceed $30mln.", (3e7, None, "USD", "money", "at_least")),
    ("Unemployment fell to 5% last month.", (5, None, "percent", "percent", "exact")),
    ("The fund is worth 1.2 billion yuan.", (1.2e9, None, "CNY", "money", "exact")),
    ("Tickets cost Rs 300 each.", (300, None, "INR", "money", "exact")),
    ("Between 2,500 and 3,000 troops remain.", (2500, 3000, "troop", "count", "range")),
    ("The pipeline carries about 30,000 barrels a day.", (30000, None, "barrel", "quantity", "approx")),
    ("More than one million Iraqis were killed.", (1e6, None, "iraqi", "count", "at_least")),
    # markets, trade and health news
    ("Shares rose 3.2% to $187.50 on Tuesday.", (187.5, None, "USD", "money", "exact")),
    ("Shares rose 3.2% to $187.50 on Tuesday.", (3.2, None, "percent", "percent", "exact")),
    ("Gold rose $12 to $2,034 an ounce.", (12, None, "USD", "money", "exact")),
    ("The index gained 0.8 percentage points.", (0.8, None, "percentage_point", "percent", "exact")),
    ("The Dow fell 200 points, or 0.6%.", (200, None, "point", "quantity", "exact")),
    ("The bank raised its key rate by 50 basis points.", (50, None, "basis_point", "percent", "exact")),
    ("Unemployment fell to 3.7 per cent.", (3.7, None, "percent", "percent", "exact")),
    ("The deal is worth £1.2bn.", (1.2e9, None, "GBP", "money", "exact")),
    ("Shares closed at HK$45.20.", (45.2, None, "HKD", "money", "exact")),
    ("The project will cost Sh2.5 billion.", (2.5e9, None, "KES", "money", "exact")),
    ("Sales in South Africa rose to R3.4 billion.", (3.4e9, None, "ZAR", "money", "exact")),
    ("Imports totalled US$475.6 billion last year.", (4.756e11, None, "USD", "money", "exact")),
    ("The drug costs Rs. 1,500 per dose.", (1500, None, "INR", "money", "exact")),
    ("The government will spend 1.5 trillion won on roads.", (1.5e12, None, "KRW", "money", "exact")),
    ("The network covers 60m people.", (6e7, None, "people", "count", "exact")),
    ("About 17k people were infected.", (17000, None, "people", "count", "approx")),
    ("Temperatures reached 45 degrees Celsius in Delhi.", (45, None, "celsius", "quantity", "exact")),
    # no noun: the subject or object of a verb done to people counts people
    ("At least 30 were killed in the attack.", (30, None, "people", "count", "at_least")),
    ("The blast killed 12 and injured 100.", (100, None, "people", "count", "exact")),
    ("Dozens of people were hurt and 30 died.", (30, None, "people", "count", "exact")),
    # no noun: a verb brings its plural subject (one the measure table knows) to the number
    ("Deaths rose to 1,200.", (1200, None, "death", "count", "exact")),
    ("The top 1% of earners pay most of the tax.", (1, None, "percent", "percent", "exact")),
    ("The death toll could top 1,000.", (1000, None, "death", "count", "at_least")),
    ("Infections exceeded 10,000 last week.", (10000, None, "infection", "count", "at_least")),
    # units glued to the digits
    ("The plant will produce 500MW of electricity.", (500, None, "mw", "quantity", "exact")),
    ("The wind farm has a capacity of 1.2GW.", (1.2, None, "gw", "quantity", "exact")),
    ("Oil output rose to 300,000bpd.", (300000, None, "barrel", "quantity", "exact")),
    ("The truck was doing 100kph.", (100, None, "km/h", "quantity", "exact")),
    ("Temperatures hit 45ºC in Seville.", (45, None, "celsius", "quantity", "exact")),
    # a capital C or F against the digits: degrees when decimal or when the sentence speaks of temperatures
    ("Emissions must fall by 2035 to limit warming to 1.5C.", (1.5, None, "celsius", "quantity", "exact")),
    ("Temperatures reached 40C on Tuesday.", (40, None, "celsius", "quantity", "exact")),
    ("It was 104F in Phoenix, the hottest day of the year.", (104, None, "fahrenheit", "quantity", "exact")),
    ("Oil spilled along a 10-kilometre stretch of coast.", (10, None, "km", "quantity", "exact")),
    ("An estimated 3,000 to 4,000 people attended.", (3000, 4000, "people", "count", "range")),
    ("Fewer than 100 of the 2,000 staff will stay.", (100, None, "staff", "count", "at_most")),
    ("Output was 11.3 million barrels a day, up from 10.9 million.", (1.09e7, None, "barrel", "quantity", "exact")),
    # scales: hyphenated, glued, abbreviated; one list of them everywhere
    ("Congress approved a $40-billion aid package.", (4e10, None, "USD", "money", "exact")),
    ("The EU signed a 2-billion-euro deal with Egypt.", (2e9, None, "EUR", "money", "exact")),
    ("The start-up raised 30mio euros from investors.", (3e7, None, "EUR", "money", "exact")),
    ("The club paid 12mln pounds for the striker.", (1.2e7, None, "GBP", "money", "exact")),
    ("Revenue reached $4.5bn in the quarter.", (4.5e9, None, "USD", "money", "exact")),
    # a count without a noun after it takes the noun of its phrase
    ("The death toll rose to 212 on Tuesday.", (212, None, "death", "count", "exact")),
    ("Officials put the death toll at more than 1,000.", (1000, None, "death", "count", "at_least")),
    ("The toll from the quake has risen to 2,100, rescuers said.", (2100, None, "death", "count", "exact")),
    ("The casualty count climbed to 76 overnight.", (76, None, "casualty", "count", "exact")),
    ("The number of refugees reached 1.2 million by March.", (1.2e6, None, "refugee", "count", "exact")),
    # a population of a place counts its people, one of a plural noun counts that
    ("The population of the city has grown to 2.3 million.", (2.3e6, None, "people", "count", "exact")),
    ("The population of elephants in the park fell to 300.", (300, None, "elephant", "count", "exact")),
    # numbers inside names and models do not count; the number before them does
    ("The airline ordered 20 Boeing 787 jets last year.", (20, None, "jet", "count", "exact")),
    ("Sony has sold 50 million PlayStation 5 consoles.", (5e7, None, "console", "count", "exact")),
    # percentages followed by a noun stay percentages
    ("The firm announced a 10-percent cut in staff.", (10, None, "percent", "percent", "exact")),
    ("The bank cut 10pc of its workforce.", (10, None, "percent", "percent", "exact")),
    ("A 3% pay rise was offered to 500 nurses.", (3, None, "percent", "percent", "exact")),
    ("A 3% pay rise was offered to 500 nurses.", (500, None, "nurse", "count", "exact")),
    ("The party won 15 per cent of the vote.", (15, None, "percent", "percent", "exact")),
    # a letter scale glued to digits multiplies after a currency, also where the full stop stays with it
    ("The club paid €25m for the striker.", (2.5e7, None, "EUR", "money", "exact")),
    ("They raised $3.2m from investors, up from $2.9m.", (2.9e6, None, "USD", "money", "exact")),
    ("The deal was worth an estimated £180m.", (1.8e8, None, "GBP", "money", "approx")),
    ("They built a 30m wall.", (30, None, "m", "quantity", "exact")),
    ("Sales jumped 40 per cent to 1.2m units in 2022.", (1.2e6, None, "unit", "count", "exact")),
    # a fraction of a point
    ("The Fed raised rates by a quarter of a percentage point.", (0.25, None, "percentage_point", "percent", "exact")),
    ("The bank cut its key rate by half a percentage point.", (0.5, None, "percentage_point", "percent", "exact")),
    ("The central bank raised its rate by a quarter-point.", (0.25, None, "percentage_point", "percent", "exact")),
    ("Yields rose nearly three-quarters of a percentage point.",
     (0.75, None, "percentage_point", "percent", "at_most")),
    ("The jobless rate fell a tenth of a point to 3.9%.", (0.1, None, "percentage_point", "percent", "exact")),
    # "a" and "half a" before a scale word
    ("Nearly half a million people have fled.", (5e5, None, "people", "count", "at_most")),
    ("More than a million people have fled.", (1e6, None, "people", "count", "at_least")),
    # a count with "in" and another number after its noun is no ratio
    ("Gunmen killed 12 people in two attacks on Sunday.", (12, None, "people", "count", "exact")),
    ("The runner covered 42.2 km in two hours.", (42.2, None, "km", "quantity", "exact")),
    # units written out, and degrees that NER takes for a date
    ("The storm dumped 30 centimetres of snow.", (30, None, "cm", "quantity", "exact")),
    ("Up to 250 millimeters of rain fell.", (250, None, "mm", "quantity", "at_most")),
    ("Temperatures hit 45°C in Seville.", (45, None, "celsius", "quantity", "exact")),
    # the phrase's noun when the parser hangs the number on a date, or a year follows "in"
    ("The number of migrants crossing the Channel reached 45,000 last year.",
     (45000, None, "migrant", "count", "exact")),
    ("The number of visitors fell to 12,000 in 2023.", (12000, None, "visitor", "count", "exact")),
    # "others" counts what the count before it counted
    ("A bomber killed five people and wounded 12 others.", (12, None, "people", "count", "exact")),
    ("The Fed held its rate at 5.25%-5.5%.", (5.25, 5.5, "percent", "percent", "range")),
    ("Organisers put the crowd at 50,000.", (50000, None, "people", "count", "exact")),
    ("The population is estimated at 8 million.", (8e6, None, "people", "count", "exact")),
    ("Two dozen people were arrested.", (24, None, "people", "count", "exact")),
    ("The 500-plus delegates voted.", (500, None, "delegate", "count", "at_least")),
    ("Kenya borrowed KSh 50 billion.", (5e10, None, "KES", "money", "exact")),
    # ranges: a shared scale, the currency again, "ranging from"
    ("The project will cost $5-6 billion.", (5e9, 6e9, "USD", "money", "range")),
    ("Between 2 and 3 million people were displaced.", (2e6, 3e6, "people", "count", "range")),
    ("Between 500 and 1 million people were displaced.", (500, 1e6, "people", "count", "range")),
    ("The deal is worth between $1m and $2m.", (1e6, 2e6, "USD", "money", "range")),
    ("The fund will grow to $1.2bn-$1.5bn.", (1.2e9, 1.5e9, "USD", "money", "range")),
    ("Estimates range from 10,000 to 15,000 deaths.", (10000, 15000, "death", "count", "range")),
    # a change: both amounts, the first in the second's unit, even falling
    ("Prices rose from 10,000 to 15,000 euros.", (10000, None, "EUR", "money", "exact")),
    ("Membership fell from 2,000 to 1,500 people.", (2000, None, "people", "count", "exact")),
    ("Membership fell from 2,000 to 1,500 people.", (1500, None, "people", "count", "exact")),
    # a DATE of numbers alone is no date, nor a previous value NER tags DATE
    ("Between 10 and 15 people were injured.", (10, 15, "people", "count", "range")),
    ("The party won 48 seats, down from 55.", (55, None, "seat", "count", "exact")),
    # thousands or a scale make no day, year or hour, whatever NER tags with the date after them
    ("The city had 1.5 million visitors this year, up from 900k last year.", (9e5, None, "visitor", "count", "exact")),
    # a unit spaCy splits at its slash; degrees without a scale
    ("Winds of up to 200 km/h were recorded.", (200, None, "km/h", "quantity", "at_most")),
    ("Temperatures reached 40 degrees on Sunday.", (40, None, "degree", "quantity", "exact")),
    # an earthquake's magnitude is a measure, not a count of earthquakes
    ("A magnitude 6.1 earthquake struck off the coast.", (6.1, None, "magnitude", "quantity", "exact")),
    ("The quake had a magnitude of 5.4, the USGS said.", (5.4, None, "magnitude", "quantity", "exact")),
    ("The field holds 10 trillion cubic feet of gas.", (1e13, None, "ft3", "quantity", "exact")),
    ("A 7.8-magnitude quake hit the region.", (7.8, None, "magnitude", "quantity", "exact")),
    # "a dozen", "half a dozen"; a number "-strong" counts the members of the noun after it
    ("At least a dozen people were hurt.", (12, None, "people", "count", "at_least")),
    ("Half a dozen soldiers were wounded.", (6, None, "soldier", "count", "exact")),
    # a number the parser hangs on the first of two names before the counted noun
    ("The base houses some 350 US Army and Air National Guard personnel.",
     (350, None, "personnel", "count", "approx")),
    ("The company will cut 10% of its 12,000-strong workforce.", (12000, None, "workforce", "count", "exact")),
    ("A 300-strong crowd gathered outside.", (300, None, "crowd", "count", "exact")),
    ("Key figures: 1.2 million jobs created; unemployment at 3.9%.", (1.2e6, None, "job", "count", "exact")),  # a list
    # a share after a name is no model number ("Boeing 787"): a poll's result
    ("The poll gives Harris 48% and Trump 46%.", (48, None, "percent", "percent", "exact")),
    ("The exit poll gives Labour 410 seats.", (410, None, "seat", "count", "exact")),  # what a party gets
    ("The projection gives Biden 306 electoral votes.", (306, None, "vote", "count", "exact")),  # NER: 'Biden 306'
    # a level NER tags a date (an age, it guesses)
    ("The toll rose to 58 after rescuers found six more bodies.", (58, None, "death", "count", "exact")),
    ("The death toll climbed past 300 on Sunday.", (300, None, "death", "count", "at_least")),  # NER: 'past 300'
    ("He walked past 3 houses.", (3, None, "house", "count", "exact")),  # 'past' a rising level passes, only
    # digits grouped by spaces are one number when a group is "000" (cleaning makes a no-break space a space)
    ("About 20 000 workers joined the strike.", (20000, None, "worker", "count", "approx")),
    ("It cost €1 250 000 in total.", (1250000, None, "EUR", "money", "exact")),
    # and when the groups stand alone: two bare numbers side by side are no English
    ("Officials said 2 500 troops had been deployed.", (2500, None, "troop", "count", "exact")),
    ("About 1½ million people fled the fighting.", (1.5e6, None, "people", "count", "approx")),
    ("The Treasury borrowed £2½bn last month.", (2.5e9, None, "GBP", "money", "exact")),
    ("Eskom needs R2 500 million to repair the plant.", (2.5e9, None, "ZAR", "money", "exact")),  # a scale after
    # a fraction written with a slash after whole digits and a space
    ("Runners covered 3 1/2 miles before the storm hit.", (3.5, None, "mile", "quantity", "exact")),
    ("Washington will send 12 F-16 jets to the region.", (12, None, "jet", "count", "exact")),  # 'F-16' a number
    # a change 'by' an amount 'to' a level: no tally (its scale word read as the level's end) and the level's unit
    ("The population grew by 1.5 million to 67 million.", (1.5e6, None, "people", "count", "exact")),
    ("The army grew by 20,000 to 150,000 soldiers.", (20000, None, "soldier", "count", "exact")),
    ("The storm dropped 2 3/4 inches of rain.", (2.75, None, "inch", "quantity", "exact")),
    ("The chip is built on a 3-nanometre process.", (3, None, "nm", "quantity", "exact")),  # was 3 'nanometre's
    # a currency's country decides its code; a letter prefix before a glued scale
    ("The bank posted a net profit of 3.2 billion Swiss francs.", (3.2e9, None, "CHF", "money", "exact")),
    ("The firm raised 500 million Hong Kong dollars.", (5e8, None, "HKD", "money", "exact")),
    ("A loaf costs 20 Egyptian pounds.", (20, None, "EGP", "money", "exact")),
    ("The government has set aside R500m for the programme.", (5e8, None, "ZAR", "money", "exact")),
    ("Tickets cost R250 each.", (250, None, "ZAR", "money", "exact")),  # a letter prefix by a price verb
    # a count has no fraction: a dot between groups of three digits groups thousands
    ("The show uses 1.000 lights and a mile of rope.", (1000, None, "light", "count", "exact")),
    # counts in nouns whose plural is the singular, a hyphened count; horsepower is a measure
    ("The air force lost 30 aircraft in the war.", (30, None, "aircraft", "count", "exact")),
    ("Some 200 police were deployed.", (200, None, "police", "count", "approx")),
    ("A 20-member delegation arrived.", (20, None, "member", "count", "exact")),
    ("The engine makes 300 horsepower.", (300, None, "hp", "quantity", "exact")),
    # a change's amount and level count the subject of the change
    ("Cases rose by 1,500 to 12,300 on Friday.", (1500, None, "case", "count", "exact")),
    ("Cases rose by 1,500 to 12,300 on Friday.", (12300, None, "case", "count", "exact")),
    ("Deaths rose by 40 overnight.", (40, None, "death", "count", "exact")),
    ("Washington plans to cut its force in Iraq from 5,200 to 3,000.", (5200, None, "force", "count", "exact")),
    ("The army will reduce troops from 5,000 to 3,500.", (3500, None, "troop", "count", "exact")),
    # the noun a plural modifier stands before: "special forces soldiers" are soldiers; "a three-game streak"
    # counts games
    ("Some 300 special forces soldiers were deployed.", (300, None, "soldier", "count", "approx")),
    ("Parise scored during a three-game streak.", (3, None, "game", "count", "exact")),
    ("Farmers lost 300 head of cattle in the floods.", (300, None, "head", "count", "exact")),
    # markets' compass words before a number ("north of" a place names no number)
    ("The stock is trading north of $300.", (300, None, "USD", "money", "at_least")),
    ("Officials said the toll was shy of 200.", (200, None, "death", "count", "at_most")),
    ("As few as 300 troops may stay.", (300, None, "troop", "count", "at_least")),  # a lower bound
    ("Workers earn as little as $5 an hour.", (5, None, "USD", "money", "at_least")),
    ("The project will cost in the region of £2bn.", (2e9, None, "GBP", "money", "approx")),
    ("The crowd numbered more or less 5,000 people.", (5000, None, "people", "count", "approx")),
    ("Inflation stayed just south of 3% all year.", (3, None, "percent", "percent", "at_most")),
    ("The village lies 30 km north of the city.", (30, None, "km", "quantity", "exact")),
    # "N-strong": the head noun the phrase counts the members of, not its modifier
    ("The 2,500-strong US contingent will stay in Iraq.", (2500, None, "contingent", "count", "exact")),
    ("Turkey deployed a 5,000-strong Turkish force to the border.", (5000, None, "force", "count", "exact")),
    # a glued scale before a currency's name that is no plural: millions of it, not metres
    ("The bank lent 900m rand to the utility.", (900_000_000, None, "ZAR", "money", "exact")),
    ("The ministry set aside 3bn yen for the repairs.", (3_000_000_000, None, "JPY", "money", "exact")),
    ("The 400m won by Bolt was the fastest ever run.", (400, None, "m", "quantity", "exact")),
    # below zero: a minus sign, a hyphen or the word
    ("Temperatures fell to -12C overnight.", (-12, None, "celsius", "quantity", "exact")),
    ("It was \u22125\u00b0C in Oslo at noon.", (-5, None, "celsius", "quantity", "exact")),
    ("Overnight lows will reach minus 20 degrees.", (-20, None, "degree", "quantity", "exact")),
    ("Growth was revised to -0.3% from an initial 0.1%.", (-0.3, None, "percent", "percent", "exact")),
    ("Lows of -3 to 2C are expected.", (-3, 2, "celsius", "quantity", "range")),
    # a margin is a size, whatever its sign says: "plus or minus", "±"
    ("The poll has a margin of error of plus or minus 3 percentage points.",
     (3, None, "percentage_point", "percent", "exact")),
    ("The margin of error is \u00b12.5 percentage points.", (2.5, None, "percentage_point", "percent", "exact")),
    # minor units: a hundredth of the currency; pence are sterling, cents the currency of the amounts near them
    ("A first-class stamp now costs 85 pence.", (0.85, None, "GBP", "money", "exact")),
    ("The lender's shares fell 4p to 212.5p after the results, which valued it at £3bn.",
     (2.125, None, "GBP", "money", "exact")),
    ("Bus fares will rise by 25 cents to $2.90 next year.", (0.25, None, "USD", "money", "exact")),
    ("Coffee now sells for €3.10 a cup, up 40 cents in a year.", (0.4, None, "EUR", "money", "exact")),
    ("Each bottle carries a deposit of 25 euro cents.", (0.25, None, "EUR", "money", "exact")),
    ("Bread rose from 90 cents to $1.20 a loaf.", (0.9, None, "USD", "money", "exact")),
    ("Eggs cost between 30 and 45 cents each.", (0.3, 0.45, "USD", "money", "range")),
    # fractions of a scale (NER tags some of them dates)
    ("Officials said two and a half million people live in the flooded districts.",
     (2.5e6, None, "people", "count", "exact")),
    ("The agency said one and a half million people were displaced.", (1.5e6, None, "people", "count", "exact")),
    ("The charity said a quarter of a million homes were damaged.", (2.5e5, None, "home", "count", "exact")),
    ("Some three-quarters of a million voters backed the plan.", (7.5e5, None, "voter", "count", "approx")),
    ("Organisers said a half-million people marched.", (5e5, None, "people", "count", "exact")),
    ("A million and a half children missed school.", (1.5e6, None, "child", "count", "exact")),
    # ranges with an en or em dash; a range in a sentence about a vote or after a change verb
    ("The army said 2,000–2,500 soldiers were deployed.", (2000, 2500, "soldier", "count", "range")),
    ("Officials said 150—200 people were killed.", (150, 200, "people", "count", "range")),
    ("Turnout was 60–65%.", (60, 65, "percent", "percent", "range")),
    ("Turnout in the local vote was 60–65%.", (60, 65, "percent", "percent", "range")),
    ("The rally drew 150–200 people.", (150, 200, "people", "count", "range")),
    ("Prices rose 10 to 15 per cent.", (10, 15, "percent", "percent", "range")),
    ("Output rose 5 to 6 million barrels.", (5e6, 6e6, "barrel", "quantity", "range")),
    ("Payrolls rose by 254,000 in October.", (254000, None, "payroll", "count", "exact")),
    ("Officials put the number closer to 3,000 troops.", (3000, None, "troop", "count", "approx")),
    # areas: a square unit is one unit, with or without hyphens
    ("The apartment measures 850 square feet.", (850, None, "ft2", "quantity", "exact")),
    ("The 5,000-square-foot mansion was sold.", (5000, None, "ft2", "quantity", "exact")),
    ("The office spans 12,000 sq ft.", (12000, None, "ft2", "quantity", "exact")),
    ("A flat of 75 square metres costs more.", (75, None, "m2", "quantity", "exact")),
    ("They bought a 1,200-square-metre plot.", (1200, None, "m2", "quantity", "exact")),
    ("The fire burned a 40-square-mile area.", (40, None, "mile2", "quantity", "exact")),
])
def test_figure_values_units_qualifiers(nlp, text, expected):
    assert expected in figs(nlp, text)


@pytest.mark.parametrize("text", [
    "All US troops left Iraq by the end of 2011.",
    "The convoy used the M-4 highway.",
    "The second convoy entered Syria.",
    "He flew on a Boeing 787 to Baghdad.",
    "COVID-19 cases rose sharply.",
    "The parliament voted on January 5, 2020.",
    "Formula 1 returns to Monaco.",
    "The 5G network launched.",
    "Nurses need N95 masks.",
    "He paid for N95 masks.",
    "Two-thirds of them are undiagnosed.",
    "They won after a 2-1 victory on Saturday.",
    "Call 1-800-555-0199 or visit us 24/7.",
    "The ruling of 3/4 stands.",
    "The meeting is at 10:30 a.m. in Room 204.",
    "The Nov. 9 loss ended their run.",
    "The talks will be held between 10 and 15 May.",
    "He is one of the most powerful men in the country.",
    "It is one of the largest camps in the region.",
    "5 things to know about the election.",
    "There are three ways to read the result, for two reasons.",
    "Try 5 minutes of stretching.",
    "He lives at 10 Downing Street.",
    "The TV supports 4K and 8K video.",
    "She lives in flat 4C.",
    "It ranks among the top 100 universities in the world.",
    "Temperatures rose to 40 in the afternoon.",
    "The rule is in Section 45C of the tax code.",
    "He wore the No. 10 shirt.",
    "The 2-for-1 offer ends soon.",
    "The shop sells a 3-in-1 charging pad.",
    "Each household will receive a one-off payment.",
    "The quarterback was 20-of-24 passing.",
    "The plan has (1) a budget and (2) a timetable.",
    "A 7-Eleven store was robbed.",
    "The victims, aged between 18 and 25, were students.",  # ages
    "Children aged 5 to 11 can now get the vaccine.",
])
def test_not_figures(nlp, text):
    assert figs(nlp, text) == []


@pytest.mark.parametrize("text,expected", [
    ("Unemployment rose 0.2 to 4.1%.", [(4.1, None)]),  # a change, then a level: not a range
    ("Shares rose 3% to 5%.", [(3, None), (5, None)]),
    ("The Senate voted 51 to 49.", []),  # tallies and scores
    ("Labour won 411 seats to 121.", []),
    ("They won 3–1 on Sunday.", []),
])
def test_a_change_and_a_tally_are_no_range(nlp, text, expected):
    assert [(f.value, f.value_max) for f in extract_figures(nlp(text))] == expected


@pytest.mark.parametrize("text,expected", [
    ("Two women, aged 30 and 32, were hurt.", [(2, "woman")]),  # the ages count no women
    ("Three men aged 19, 22 and 25 were arrested.", [(3, "man")]),
    ("Between the ages of 18 and 25, 40% of people vote.", [(40, "percent")]),  # the ages end at the comma
])
def test_the_ages_after_aged_are_no_counts(nlp, text, expected):
    assert [(f.value, f.unit) for f in extract_figures(nlp(text))] == expected




@pytest.mark.parametrize("text,wrong", [
    ("The airline ordered 20 Boeing 787 jets last year.", 787),
    ("The Apollo 11 crew spent 21 hours on the moon.", 11),
    ("Microsoft sold 3 million Windows 11 licences in a month.", 11),
    ("The Senate voted 31 to 9 to pass the bill.", 31),
    ("The Senate voted 31 to 9 to pass the bill.", 9),
    ("The House passed the bill by 220 votes to 207.", 207),
    ("The bill, worth \u20ac2.3bn, passed by 312 votes to 288.", 288),  # no euros: the other end of the tally
    ("The Supreme Court ruled 6-3 in favour of the state.", 6),
    ("Liverpool beat Chelsea 3-1 at Anfield.", 3),
    ("The council voted 48 to 52 against the plan.", 52),
    ("About 1 in 10 children in the region is malnourished.", 10),
    ("One in five Americans owns a gun, the survey found.", 5),
    ("Two out of three voters backed the plan.", 3),
    ("The infection rate is 3 per 100,000 people.", 100000),
    ("The murder rate fell to 4.5 per 1,000 residents.", 1000),
    ("Infant mortality stands at 12 deaths per 1,000 births.", 12),
    ("Police seized two shotguns. Patrick Carlineo Jr., 55, faces up to 10 years in prison.", 55),  # an age
    ("The £250 camera records 1080p video.", 1080),  # a video resolution, not pence
    ("Sales of 4K TVs doubled last year.", 4000),  # a display resolution, not 4,000 TVs
    ("The offer values the company at 25 times earnings.", 25),  # a multiplier
    # a number above one before a singular noun names one thing: a model, a code
    ("Apple sold the iPhone 11 Pro for $999.", 11),
    ("A broken fan blade on a 737 NG plane started the fire.", 737),
    ("The console supports 5.1 surround sound.", 5.1),
    ("She wrote dozens of songs and sent 12 of the best ones to a lawyer.", 12),
])
def test_not_counts_of_the_noun(nlp, text, wrong):
    """Tallies, scores, rates, ratios and model numbers state no count of the sentence's noun."""
    assert [f for f in figs(nlp, text) if f[0] == wrong] == []


def test_elliptical_count_takes_the_previous_noun(nlp):
    text = "Over 3,000 US troops have returned. Reports say almost 17,000 more are set to return."
    assert (17000, None, "troop", "count", "at_most") in figs(nlp, text)


def test_a_bare_number_takes_an_earlier_sentence_s_noun_only_when_it_goes_on_that_count(nlp):
    text = "Parise scored two goals on Saturday. The Wild beat the Sabres in front of 15,522 in KeyBank Center."
    assert [f for f in figs(nlp, text) if f[0] == 15522] == []  # no 15,522 goals
    text = "Over 3,000 US troops have returned to Iraq. Another 300 are expected next week."
    assert (300, None, "troop", "count", "exact") in figs(nlp, text)
    text = ("The Pentagon said approximately 2,500 American soldiers are stationed in Iraq. "
            "Iraqi officials dispute the figure and put the number at over 3,000.")
    assert (3000, None, "soldier", "count", "at_least") in figs(nlp, text)


def test_a_count_in_words_goes_on_an_earlier_count_only_explicitly(nlp):
    text = "Police said 30 protesters were arrested on Saturday. Twelve more were detained on Sunday."
    assert (12, None, "protester", "count", "exact") in figs(nlp, text)
    text = "The company said 1,200 workers would lose their jobs. Another two hundred will be moved to Texas."
    assert (200, None, "worker", "count", "exact") in figs(nlp, text)
    text = "Police said 30 protesters were arrested on Saturday. Two of them were released."
    assert [f for f in figs(nlp, text) if f[0] == 2 and f[2] == "protester"] == []


def test_a_bare_number_a_verb_acts_on_or_a_source_claims_goes_on_an_earlier_count(nlp):
    text = "The White House says 2,000 troops are ready. Russia disputes that, claiming 5,000 are already there."
    assert (5000, None, "troop", "count", "exact") in figs(nlp, text)
    text = "Iraq says 2,500 US troops are in the country. Iraqi lawmakers claim 3,000."
    assert (3000, None, "troop", "count", "exact") in figs(nlp, text)


def test_others_are_more_of_the_whole_count_not_of_the_part_it_includes(nlp):
    text = "At least 14 people were killed, including three children, and 60 others were wounded, officials said."
    assert (60, None, "people", "count", "exact") in figs(nlp, text)


def test_a_count_with_its_own_noun_takes_no_subject_from_the_figure_before(nlp):
    text = "The strikes left about 500,000 households without power. The army shot down 95 of the drones."
    (drones,) = [f for f in extract_figures(nlp(text)) if f.value == 95]
    assert drones.unit == "drone" and drones.subject != "households"


@pytest.mark.parametrize("comparison", ["compared with", "versus", "vs.", "up from"])
def test_an_amount_compared_with_one_before_it_takes_its_unit_not_an_earlier_count(nlp, comparison):
    text = f"The company cut 1,200 jobs in Ohio. It spent $5 million on the plant, {comparison} 3 million last year."
    assert [f for f in figs(nlp, text) if f[0] == 3e6] == [(3e6, None, "USD", "money", "exact")]


def test_attribution_names_the_source(nlp):
    doc = nlp("The US government reported approximately 2,500 American soldiers stationed in Iraq, "
              "while Iraqi sources put the number at over 3,000. In Syria, there were around 700 US soldiers, "
              "according to the Pentagon.")
    by_value = {f.value: f.attributed_to for f in extract_figures(doc)}
    assert by_value == {2500: "US government", 3000: "Iraqi sources", 700: "Pentagon"}


@pytest.mark.parametrize("text,source", [
    ("An estimated 2,000 people were evacuated, the mayor's office said.", "mayor's office"),
    ("The army posted on Telegram that 25 drones were shot down.", "army"),
    ("The company added 200 jobs in May, the report said.", "report"),  # 'add' with an object reports nothing
    ("Beauvillier added his seventh goal, and Varlamov made 27 saves.", None),
    ("Those gains add to a major gain for shares, climbing more than 80% this year.", None),
    ("The flooding has claimed 112 lives since June.", None),
    ("The minister tweeted that 300 people had been rescued.", "minister"),
    ("Musk wrote on X that Tesla would build 1 million robotaxis.", "Musk"),  # a count in millions names no model
    ("Bolivia’s public defender’s office said another 30 people had been injured.",
     "Bolivia’s public defender’s office"),
    ("Its spokesman said 30 people were hurt.", "spokesman"),
    ("The Kremlin, which says 50,000 soldiers have died, disputes the figure.", "Kremlin"),
    # a reporting verb at the end that the parser took for a noun ('intelligence estimates')
    ("Russia has lost more than 600,000 soldiers killed or wounded, British intelligence estimates.",
     "British intelligence"),
    # a pronoun stands for its antecedent: the person named just before, or who stated the figure before
    ("Defense Secretary Lloyd Austin spoke on Monday. He said 3,000 troops would be sent to Poland.", "Lloyd Austin"),
    ("Minister Ali Hassan spoke on Monday. He said 500 beds would be added by June.", "Ali Hassan"),  # no agent June
    # 'it' in an aside with no earlier source: the subject of the clause it reports; a descriptive appositive
    ("Turkey's central bank raised its key rate to 50%, it said.", "Turkey's central bank"),
    ("The rebels captured 40 villages, they said.", "rebels"),
    ("The senator, a Democrat, said the bill would cost $40 billion.", "senator"),
    ("Reed has said that he expects to save as much as $300 million.", "Reed"),
    # a reporting participle without a subject: the subject of the clause it hangs on
    ("Iraqi lawmakers criticized the deployment on Monday, saying 3,000 US troops were too many.", "Iraqi lawmakers"),
    ("Russia rejected the figure, claiming 5,000 troops are already there.", "Russia"),
    ("The ministry issued a statement claiming 40 militants were killed.", "ministry"),
    # "put ... at" estimates an amount too; "put" that moves things attributes nothing
    ("Insurers put the damage at more than $3 billion.", "Insurers"),
    ("The mayor's office put the cost at $2.1 million.", "mayor's office"),
    ("The company put 2,000 workers on furlough.", None),
    ("Human Rights Watch documented at least 45 cases of torture.", "Human Rights Watch"),
    # a writing's author states what it found
    ("The report, published by Amnesty International, documented 1,200 arrests.", "Amnesty International"),
    ("A survey from the World Bank found 40 million people fell into poverty.", "World Bank"),
    ("The report, by the International Crisis Group, estimates that 40,000 people have fled.",
     "International Crisis Group"),
    # an aside right after the figure that the parse hung on the next clause; a news agency described, not named
    ("Heavy rain forced the closure of 140 schools on Monday, the education ministry said, as rivers burst their "
     "banks across the region and roads were cut off.", "education ministry"),
    ("At least 25 people died in the crash on Sunday, the state news agency reported, as rescuers searched for "
     "survivors.", "state news agency"),
    ("The UN's survey found 2.1 million people need aid.", "United Nations"),
    ("A Reuters poll found 44 percent of voters want the bill passed.", "Reuters"),
    ("A report in March found 300 cases.", "report"),
    # a reporting verb the parser left without a subject: the noun before it
    ("A convoy of 40 trucks entered Iraq from Syria, a security source told Shafaq News.", "security source"),
    ("Some 70 percent of Americans say the call was wrong.", None),
    ("Figures released by the Home Office show 45,000 people crossed the Channel.", "Home Office"),
    ("Data from the Office for National Statistics showed inflation at 4.6%.", "Office for National Statistics"),
    # a speaker for an organisation (or a person): the one spoken for
    ("A spokesman for the Syrian Observatory said 14 fighters had been killed.", "Syrian Observatory"),
    ("Analysts at Goldman Sachs expect the economy to grow 2.1% next year.", "Goldman Sachs"),
    ("A spokeswoman for Keir Starmer said 2,000 troops would be sent.", "Keir Starmer"),
    ("Residents of Mosul said 40 houses were destroyed.", "Residents"),
])
def test_a_source_keeps_its_owner_and_a_pronoun_its_antecedent(nlp, text, source):
    assert [f.attributed_to for f in extract_figures(nlp(text))] == [source]


def test_a_source_is_named_without_the_number_that_counts_it(nlp):
    figures = extract_figures(nlp("Some 2,000 residents said 40 houses were destroyed."))
    assert [(f.value, f.attributed_to) for f in figures] == [(2000, None), (40, "residents")]
    figures = extract_figures(nlp("The 27-member bloc said 40 ships were seized."))  # hyphened to a word: kept
    assert [f.attributed_to for f in figures][-1] == "27-member bloc"


@pytest.mark.parametrize("text,sources", [
    ("Tesla delivered 435,059 vehicles in the third quarter, short of analysts' estimates of 455,000.",
     [None, "analysts"]),
    ("By the army's count, 300 fighters were killed and 20 were captured.", ["army", "army"]),
    ("The ministry's figures show 1,200 people died in the floods.", ["ministry"]),
])
def test_an_owner_s_numbers_state_the_figures_in_them_or_under_them_only(nlp, text, sources):
    assert [f.attributed_to for f in extract_figures(nlp(text))] == sources


@pytest.mark.parametrize("text,sources", [
    # a reporting aside reports the clause it sits in, also when the sentence goes on
    ("Half a million people marched in Paris on Saturday, organisers said, while police put the number at 120,000.",
     ["organisers", "police"]),
    # an aside that says something of its own reports nothing
    ("GateHouse laid off more than 60 employees (the company would not disclose the number) last year.", [None]),
    # the subject is the subject by the tree: an appositive hung on it does not make it hold the figure
    ("The army said it had killed more than 40 militants in the operation, a claim that could not be "
     "independently verified.", ["army"]),
])
def test_a_reporting_aside_and_a_subject_with_an_appositive_name_the_source(nlp, text, sources):
    assert [f.attributed_to for f in extract_figures(nlp(text))] == sources


def test_offsets_point_at_the_text(nlp):
    body = clean_text(seed_text("001_ae877c58f8d80608.txt")).body
    for f in extract_figures(nlp(body)):
        assert body[f.start_char:f.end_char] == f.text


def test_a_figure_ends_before_the_full_stop_kept_with_its_scale(nlp):
    body = "The club paid £25m. It was a record."
    [f] = extract_figures(nlp(body))
    assert (f.text, body[f.start_char:f.end_char], f.value) == ("£25m", "£25m", 2.5e7)


def _norm(name):
    return (name or "").lower()


def test_seed_gold_figures_and_sources(nlp, seeds_gold):
    """Every gold figure of the seeds is found with its qualifier; named sources match."""
    for name, gold in seeds_gold.items():
        if name.startswith("_"):
            continue
        found = extract_figures(nlp(clean_text(seed_text(name)).body))
        for g in gold["figures"]:
            units = {g["unit"], *g.get("alt_units", [])}
            hits = [f for f in found if abs(f.value - g["value"]) <= 0.005 * g["value"] and f.unit in units]
            assert hits, f"{name}: missing {g['anchor']}"
            assert hits[0].qualifier == g["qualifier"], f"{name}: qualifier of {g['anchor']}"
            if g.get("attributed_to"):
                assert _norm(hits[0].attributed_to) == _norm(g["attributed_to"]), f"{name}: source of {g['anchor']}"


def test_it_stands_for_who_stated_the_figure_before(nlp):
    doc = nlp("The ministry said 40 people were killed. It added that 120 were wounded.")
    assert [(f.value, f.attributed_to) for f in extract_figures(doc)] == [(40, "ministry"), (120, "ministry")]


def test_digits_a_space_apart_stay_two_numbers_unless_they_stand_alone(nlp):
    assert [f.value for f in extract_figures(nlp("He won 12 100-metre races."))] == [12, 100]
    assert [f.value for f in extract_figures(nlp("On March 3 250 people gathered."))] == [250]
    assert not [f for f in extract_figures(nlp("Call 555 123 4567 for tickets.")) if f.value > 1000]
    assert [f.text for f in extract_figures(nlp("About 20 000 people attended."))] == ["About 20 000"]


def test_win_loss_records_in_parentheses_are_no_ranges(nlp):
    text = "The Eagles (6-5, 3-4) snapped an 11-game losing streak to the Huskies (4-7, 3-4)."
    assert [f.value for f in extract_figures(nlp(text))] == [11]
