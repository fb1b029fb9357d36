"""dateutil: parser, relativedelta, rrule, and time zones from its own data tarball."""

from datetime import datetime, timedelta

from dateutil import parser, rrule, tz
from dateutil.relativedelta import FR, relativedelta
from dateutil.zoneinfo import get_zonefile_instance

start = datetime(2024, 1, 31, 9, 30)
print(parser.parse("2024-03-10T02:30:00-05:00"), parser.parse("10 March 2024 5pm"))
print(parser.isoparse("2024-07-04T12:00:00Z"))
print(start + relativedelta(months=+1), start + relativedelta(weekday=FR(-1), day=31))
rule = rrule.rrule(rrule.WEEKLY, byweekday=(rrule.MO, rrule.TH), count=5, dtstart=start)
print([d.date().isoformat() for d in rule])
print(rrule.rrulestr("FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=3", dtstart=start)[:])
zones = get_zonefile_instance()
print(len(zones.zones) > 300, sorted(zones.zones)[:3])
berlin = zones.get("Europe/Berlin")
for moment in (datetime(2024, 1, 15, 12), datetime(2024, 7, 15, 12)):
    aware = moment.replace(tzinfo=berlin)
    print(aware.isoformat(), aware.tzname(), aware.astimezone(tz.UTC).isoformat())
fixed = tz.tzoffset("X", -3 * 3600)
print(datetime(2024, 1, 1, tzinfo=fixed).isoformat(), tz.tzstr("EST5EDT").utcoffset(start))

import dateutil  # noqa: E402

# dateutil.__getattr__ imports submodules lazily: import_module("." + name, __name__)
print(dateutil.easter.easter(2025), dateutil.utils.within_delta(start, start, timedelta(0)))
