"""pycountry: ISO databases and gettext translations in folders named by importlib.resources."""

import gettext
import os
from importlib.resources import as_file, files

import pycountry

germany = pycountry.countries.get(alpha_2="DE")
print(germany.name, germany.alpha_3, germany.numeric, len(pycountry.countries) > 240)
print(pycountry.countries.lookup("fra").official_name, pycountry.countries.get(alpha_3="XXX"))
print(sorted(s.code for s in pycountry.subdivisions.get(country_code="LU"))[:4])
print(pycountry.currencies.get(alpha_3="CHF").name, pycountry.languages.get(alpha_2="eu").name)
print(
    pycountry.scripts.get(alpha_4="Cyrl").name,
    pycountry.historic_countries.get(alpha_4="DDDE").name,
)
print([c.alpha_2 for c in pycountry.countries.search_fuzzy("Congo")][:2])
for language in ("de", "fr"):
    translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    print(language, translation.gettext("Germany"), translation.gettext(germany.official_name))
print("folders:", os.path.basename(pycountry.LOCALES_DIR), os.path.isdir(pycountry.DATABASE_DIR))
# The folders themselves, through as_file and iterdir; still there afterwards.
with as_file(files("pycountry") / "locales") as locales:
    pass
print("de" in os.listdir(locales), (locales / "fr" / "LC_MESSAGES" / "iso4217.mo").is_file())
databases = files("pycountry").joinpath("databases")
print(sorted(p.name for p in databases.iterdir() if p.name.startswith("iso3166")))
print(databases.joinpath("iso4217.json").read_text(encoding="utf-8")[:14])
