// Expands an iCalendar file with Mozilla's ical.js, the parser Thunderbird uses, and prints
// every occurrence between two dates as JSON: [{uid, start, end}] in local ISO time with offset.
// Usage: node expand.mjs FILE FROM TO   (FROM/TO as 2027-01-01)
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const [file, from, to] = process.argv.slice(2);
const text = readFileSync(file, "utf8");
const vcalendar = new ICAL.Component(ICAL.parse(text));
for (const vtimezone of vcalendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(new ICAL.Timezone(vtimezone));
}
const rangeStart = ICAL.Time.fromDateString(from);
const rangeEnd = ICAL.Time.fromDateString(to);

const byUid = new Map();
for (const vevent of vcalendar.getAllSubcomponents("vevent")) {
  const event = new ICAL.Event(vevent);
  if (!byUid.has(event.uid)) byUid.set(event.uid, { master: null, exceptions: [] });
  const entry = byUid.get(event.uid);
  if (event.isRecurrenceException()) entry.exceptions.push(event);
  else entry.master = event;
}

function iso(time) {
  const js = time.toJSDate();
  const offsetSeconds = time.utcOffset();
  const local = new Date(js.getTime() + offsetSeconds * 1000);
  const sign = offsetSeconds >= 0 ? "+" : "-";
  const abs = Math.abs(offsetSeconds);
  const hh = String(Math.floor(abs / 3600)).padStart(2, "0");
  const mm = String(Math.floor((abs % 3600) / 60)).padStart(2, "0");
  return local.toISOString().slice(0, 19) + sign + hh + ":" + mm;
}

const out = [];
for (const [uid, { master, exceptions }] of byUid) {
  if (!master) continue;
  for (const exception of exceptions) master.relateException(exception);
  if (!master.isRecurring()) {
    if (master.startDate.compare(rangeEnd) < 0 && master.endDate.compare(rangeStart) > 0) {
      out.push({ uid, start: iso(master.startDate), end: iso(master.endDate) });
    }
    continue;
  }
  const iterator = master.iterator();
  let next;
  let guard = 0;
  while ((next = iterator.next()) && guard++ < 100000) {
    if (next.compare(rangeEnd) >= 0) break;
    const details = master.getOccurrenceDetails(next);
    if (details.endDate.compare(rangeStart) <= 0) continue;
    out.push({ uid, start: iso(details.startDate), end: iso(details.endDate) });
  }
}
out.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.uid < b.uid ? -1 : 1));
process.stdout.write(JSON.stringify(out));
