"""pytz: time zones read from files beside its __file__ (extract-data)."""

import glob
import os
import pickle
from datetime import datetime, timedelta

import pytz

print(pytz.__version__, len(pytz.all_timezones) > 500, "Europe/Berlin" in pytz.common_timezones)
berlin = pytz.timezone("Europe/Berlin")
for moment in (datetime(2024, 1, 15, 12), datetime(2024, 7, 15, 12), datetime(1945, 6, 1, 12)):
    local = berlin.localize(moment)
    print(local.isoformat(), local.tzname(), local.astimezone(pytz.utc).isoformat())
eastern = pytz.timezone("US/Eastern")
spring = eastern.localize(datetime(2024, 3, 10, 1, 30))
print(eastern.normalize(spring + timedelta(hours=1)).isoformat())
try:
    eastern.localize(datetime(2024, 11, 3, 1, 30), is_dst=None)
except pytz.AmbiguousTimeError as error:
    print("ambiguous:", error)
try:
    pytz.timezone("Mars/Olympus_Mons")
except pytz.UnknownTimeZoneError as error:
    print("unknown:", error)
print(pytz.country_timezones["nz"], pytz.country_names["de"])
print(
    pickle.loads(pickle.dumps(berlin)) is berlin,
    pytz.timezone("Asia/Kolkata").utcoffset(datetime(2024, 1, 1)),
)
# Beside __file__, as a program that lists pytz's data itself does.
zoneinfo = os.path.join(os.path.dirname(pytz.__file__), "zoneinfo")
print(sorted(os.listdir(os.path.join(zoneinfo, "Australia")))[:4])
print(
    len(glob.glob(os.path.join(zoneinfo, "Europe", "*"))) > 50,
    os.path.isfile(os.path.join(zoneinfo, "zone1970.tab")),
)
