/* The course editor's live preview: whenever the schedule changes, ask the preview API
   (POST /api/v1/courses/preview/) which dates it makes and which days are skipped, and keep
   the advanced RFC 5545 text in step with the builder. Without this script the Preview button
   renders the same preview on the server. A file of its own: the CSP allows no inline script. */
(function () {
  "use strict";
  var form = document.getElementById("course-form");
  if (!form || !window.fetch) { return; }
  var centres = JSON.parse((document.getElementById("centre-slugs") || {}).textContent || "{}");
  var region = document.getElementById("preview");
  var lang = document.documentElement.lang || "pl";
  var timer = null;
  var asked = 0;
  var WATCHED = ["centre", "start_date", "start_time", "duration_minutes", "weekdays", "interval",
    "ends", "until", "count", "skip_dates", "skip_public_holidays", "use_text", "recurrence_text"];

  function field(name) { return form.elements.namedItem(name); }
  function value(name) { var f = field(name); return f && f.value !== undefined ? f.value.trim() : ""; }
  function checked(name) { var f = field(name); return !!(f && f.checked); }
  function ends() {
    var radios = form.querySelectorAll("input[name=ends]");
    for (var i = 0; i < radios.length; i++) { if (radios[i].checked) { return radios[i].value; } }
    return "never";
  }
  function weekdays() {
    return Array.prototype.map.call(form.querySelectorAll("input[name=weekdays]:checked"),
      function (box) { return box.value; });
  }
  function skipDates() { return value("skip_dates").split(/[\s,;]+/).filter(Boolean); }

  function schedule() {
    var s = { weekdays: weekdays(), interval: parseInt(value("interval") || "1", 10) || 1,
      until: null, count: null, skip_dates: skipDates() };
    if (ends() === "until" && value("until")) { s.until = value("until"); }
    if (ends() === "count" && value("count")) { s.count = parseInt(value("count"), 10); }
    return s;
  }

  /* The same text scheduling.builder.schedule_to_text writes. */
  function ruleText(s) {
    var parts = ["FREQ=WEEKLY"];
    if (s.interval !== 1) { parts.push("INTERVAL=" + s.interval); }
    if (s.count) { parts.push("COUNT=" + s.count); } else if (s.until) { parts.push("UNTIL=" + s.until.replace(/-/g, "")); }
    parts.push("BYDAY=" + s.weekdays.join(","));
    var lines = ["RRULE:" + parts.join(";")];
    s.skip_dates.forEach(function (d) { lines.push("EXDATE:" + d.replace(/-/g, "")); });
    return lines.join("\n");
  }

  function element(tag, text, cls) {
    var el = document.createElement(tag);
    if (text) { el.textContent = text; }
    if (cls) { el.className = cls; }
    return el;
  }

  function render(data, tz) {
    var when = new Intl.DateTimeFormat(lang, { weekday: "short", day: "numeric", month: "long",
      year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: tz });
    var until = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", timeZone: tz });
    var day = new Intl.DateTimeFormat(lang, { weekday: "short", day: "numeric", month: "long",
      year: "numeric", timeZone: "UTC" });
    region.textContent = "";
    var total = element("p", "", "ws-preview-total");
    var strong = element("strong", (form.dataset.tTotal || "") + data.total);
    total.appendChild(strong);
    region.appendChild(total);
    var list = element("ol", "", "ws-preview-list");
    data.sessions.forEach(function (o) {
      var li = element("li");
      var t = element("time", when.format(new Date(o.starts_at)) + "–" + until.format(new Date(o.ends_at)));
      t.setAttribute("datetime", o.starts_at);
      li.appendChild(t);
      list.appendChild(li);
    });
    region.appendChild(list);
    region.appendChild(element("h3", form.dataset.tSkipped || ""));
    if (!data.skipped.length) { region.appendChild(element("p", form.dataset.tNone, "muted")); return; }
    var skipped = element("ul", "", "ws-preview-list ws-skipped");
    data.skipped.forEach(function (s) {
      var reason = form.dataset["t" + s.reason.charAt(0).toUpperCase() + s.reason.slice(1)] || s.reason;
      var li = element("li");
      var t = element("time", day.format(new Date(s.date + "T00:00:00Z")));
      t.setAttribute("datetime", s.date);
      li.appendChild(t);
      li.appendChild(document.createTextNode(": " + reason + (s.name ? " – " + s.name : "")));
      skipped.appendChild(li);
    });
    region.appendChild(skipped);
  }

  function messages(body) {
    var out = [];
    (function walk(v) {
      if (typeof v === "string") { out.push(v); }
      else if (Array.isArray(v)) { v.forEach(walk); }
      else if (v && typeof v === "object") { Object.keys(v).forEach(function (k) { walk(v[k]); }); }
    })(body);
    return out;
  }

  function refresh() {
    var centre = centres[value("centre")];
    var textMode = checked("use_text");
    var s = schedule();
    if (!textMode && s.weekdays.length) { field("recurrence_text").value = ruleText(s); }
    if (!centre || !value("start_date") || !value("start_time") || !value("duration_minutes")) { return; }
    if (!textMode && !s.weekdays.length) { return; }
    var payload = { centre: centre.slug, start_date: value("start_date"), start_time: value("start_time").slice(0, 5),
      duration_minutes: parseInt(value("duration_minutes"), 10), skip_public_holidays: checked("skip_public_holidays") };
    if (textMode) { payload.recurrence = value("recurrence_text"); } else { payload.schedule = s; }
    var mine = ++asked;
    fetch(form.dataset.previewUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "Accept-Language": lang,
        "X-CSRFToken": value("csrfmiddlewaretoken") },
      body: JSON.stringify(payload)
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (answer) {
      if (mine !== asked) { return; }
      if (answer.ok) { render(answer.body, centre.tz); form.dataset.previewReady = "true"; return; }
      region.textContent = "";
      region.appendChild(element("p", form.dataset.tError + " " + messages(answer.body).join(" "), "error"));
    }).catch(function () { /* offline: the Preview button still works */ });
  }

  form.addEventListener("input", function (event) {
    if (WATCHED.indexOf(event.target.name) < 0) { return; }
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
  form.addEventListener("change", function (event) {
    if (WATCHED.indexOf(event.target.name) < 0) { return; }
    clearTimeout(timer);
    timer = setTimeout(refresh, 150);
  });
})();
