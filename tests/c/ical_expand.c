/* Expands an iCalendar file with libical, the C library behind Evolution and GNOME Calendar, and
 * prints every occurrence between two dates as JSON: [{"uid", "start", "end"}] in UTC
 * ("2026-03-29T00:30:00Z").
 *
 * TZIDs resolve against the file's own VTIMEZONE components (libical looks them up in the
 * VCALENDAR that holds the event). Each VEVENT is expanded with icalcomponent_foreach_recurrence,
 * which applies RRULE, RDATE and EXDATE; a VEVENT with a RECURRENCE-ID is a detached instance, as
 * in Evolution: it replaces its series' instance that starts at the RECURRENCE-ID and is shown at
 * its own DTSTART and DTEND.
 *
 * Usage: ical_expand FILE FROM TO   (FROM/TO as 2027-01-01, taken as midnight UTC)
 * Build: gcc -o ical_expand ical_expand.c $(pkg-config --cflags --libs libical)
 */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct occurrence {
    const char *uid;
    time_t start;
    time_t end;
    int detached; /* from a VEVENT with a RECURRENCE-ID */
};

struct occurrences {
    struct occurrence *items;
    size_t count;
    size_t capacity;
};

struct context {
    struct occurrences *out;
    const char *uid;
    int detached;
};

static void fail(const char *message, const char *detail)
{
    fprintf(stderr, "ical_expand: %s%s%s\n", message, detail ? ": " : "", detail ? detail : "");
    exit(1);
}

static char *read_file(const char *path)
{
    FILE *file = fopen(path, "rb");
    long size;
    char *text;

    if (!file)
        fail("cannot open", path);
    if (fseek(file, 0, SEEK_END) != 0 || (size = ftell(file)) < 0 || fseek(file, 0, SEEK_SET) != 0)
        fail("cannot read", path);
    text = malloc((size_t) size + 1);
    if (!text || fread(text, 1, (size_t) size, file) != (size_t) size)
        fail("cannot read", path);
    text[size] = '\0';
    fclose(file);
    return text;
}

static void add(struct occurrences *out, const char *uid, time_t start, time_t end, int detached)
{
    if (out->count == out->capacity) {
        out->capacity = out->capacity ? out->capacity * 2 : 256;
        out->items = realloc(out->items, out->capacity * sizeof *out->items);
        if (!out->items)
            fail("out of memory", NULL);
    }
    out->items[out->count++] = (struct occurrence) {uid, start, end, detached};
}

static void on_recurrence(icalcomponent *comp, struct icaltime_span *span, void *data)
{
    struct context *context = data;

    (void) comp;
    add(context->out, context->uid, span->start, span->end, context->detached);
}

static struct icaltimetype day(const char *iso)
{
    int year, month, mday;
    char text[32];

    if (sscanf(iso, "%4d-%2d-%2d", &year, &month, &mday) != 3)
        fail("not a date (YYYY-MM-DD)", iso);
    snprintf(text, sizeof text, "%04d%02d%02dT000000Z", year, month, mday);
    return icaltime_from_string(text);
}

/* The RECURRENCE-ID as an instant, its TZID resolved against the file's VTIMEZONEs. */
static time_t recurrence_instant(icalcomponent *event)
{
    icalproperty *prop = icalcomponent_get_first_property(event, ICAL_RECURRENCEID_PROPERTY);
    struct icaltimetype rid = icalproperty_get_datetime_with_component(prop, event);

    if (icaltime_is_null_time(rid))
        fail("unreadable RECURRENCE-ID", icalproperty_as_ical_string(prop));
    return icaltime_as_timet_with_zone(rid, rid.zone ? rid.zone : icaltimezone_get_utc_timezone());
}

static int by_start(const void *a, const void *b)
{
    const struct occurrence *x = a, *y = b;

    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return strcmp(x->uid, y->uid);
}

static void print_utc(time_t moment)
{
    struct tm tm;
    char text[32];

    gmtime_r(&moment, &tm);
    strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    printf("\"%s\"", text);
}

static void print_json_string(const char *text)
{
    putchar('"');
    for (; *text; text++) {
        if (*text == '"' || *text == '\\')
            printf("\\%c", *text);
        else if ((unsigned char) *text < 0x20)
            printf("\\u%04x", *text);
        else
            putchar(*text);
    }
    putchar('"');
}

int main(int argc, char **argv)
{
    char *text;
    icalcomponent *calendar, *event;
    struct icaltimetype from, to;
    struct occurrences out = {NULL, 0, 0};
    size_t i, j, kept;

    if (argc != 4)
        fail("usage: ical_expand FILE FROM TO", NULL);
    text = read_file(argv[1]);
    from = day(argv[2]);
    to = day(argv[3]);
    calendar = icalparser_parse_string(text);
    if (!calendar || icalcomponent_isa(calendar) != ICAL_VCALENDAR_COMPONENT)
        fail("not a VCALENDAR", argv[1]);

    for (event = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT); event;
         event = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)) {
        struct context context = {&out, icalcomponent_get_uid(event), 0};

        if (!context.uid)
            fail("a VEVENT without UID", NULL);
        context.detached =
            icalcomponent_get_first_property(event, ICAL_RECURRENCEID_PROPERTY) != NULL;
        icalcomponent_foreach_recurrence(event, from, to, on_recurrence, &context);
    }

    /* A detached instance replaces the instance of its series that starts at its RECURRENCE-ID. */
    for (event = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT); event;
         event = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)) {
        const char *uid = icalcomponent_get_uid(event);
        time_t rid;

        if (!icalcomponent_get_first_property(event, ICAL_RECURRENCEID_PROPERTY))
            continue;
        rid = recurrence_instant(event);
        for (i = 0; i < out.count; i++) {
            if (!out.items[i].detached && out.items[i].start == rid
                && strcmp(out.items[i].uid, uid) == 0)
                out.items[i].uid = NULL; /* dropped below */
        }
    }
    for (i = 0, kept = 0; i < out.count; i++) {
        if (out.items[i].uid)
            out.items[kept++] = out.items[i];
    }
    out.count = kept;

    qsort(out.items, out.count, sizeof *out.items, by_start);
    putchar('[');
    for (j = 0; j < out.count; j++) {
        printf("%s{\"uid\": ", j ? ", " : "");
        print_json_string(out.items[j].uid);
        printf(", \"start\": ");
        print_utc(out.items[j].start);
        printf(", \"end\": ");
        print_utc(out.items[j].end);
        putchar('}');
    }
    printf("]\n");
    icalcomponent_free(calendar);
    free(out.items);
    free(text);
    return 0;
}
