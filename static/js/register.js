/* The register keeps working offline: every tap is shown at once, queued on the phone
   (localStorage) and sent in order when the connection allows. The server keeps the newest mark
   by the time it was made on the phone, and adds a walk-in once however often it is sent, so a
   change sent twice does no harm. Without this script the buttons post plain forms. */
(function () {
  "use strict";
  var root = document.getElementById("register");
  if (!root || !window.fetch || !window.localStorage) { return; }
  var url = root.dataset.marksUrl;
  var key = "integra.register." + root.dataset.session;
  var rowsList = document.getElementById("register-rows");
  var statusLine = document.getElementById("sync-status");
  var csrf = root.querySelector("input[name=csrfmiddlewaretoken]").value;
  var sending = false;
  var TIMEOUT_MS = 15000;
  var MAX_TRIES = 5;
  var FRESH_MS = 5000;

  function load() {
    try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { return []; }
  }
  function save(queue) { localStorage.setItem(key, JSON.stringify(queue)); }

  function enqueue(op) {
    var queue = load();
    if (op.type === "mark") {  // only the newest mark of a person needs to go
      queue = queue.filter(function (o) { return !(o.type === "mark" && o.participant === op.participant && o.member === op.member); });
    }
    if (op.type === "note") {
      queue = queue.filter(function (o) { return o.type !== "note"; });
    }
    queue.push(op);
    save(queue);
  }

  function say(text, offline) {
    statusLine.textContent = text;
    statusLine.classList.toggle("sync--offline", !!offline);
  }

  function showRow(row, status) {
    row.dataset.status = status;
    row.querySelectorAll(".marks:not(.marks--family) button.mark").forEach(function (button) {
      button.setAttribute("aria-pressed", button.value === status ? "true" : "false");
    });
  }

  // A person's row ("p-<id>"), a person of a booking's party ("m-<id>"), or with `family`
  // every row of the booking.
  function showMark(participant, status, member, family) {
    if (family) {
      rowsList.querySelectorAll(".register-row[data-booking='" + participant + "']").forEach(function (row) { showRow(row, status); });
      return;
    }
    var row = document.getElementById(member ? "m-" + member : "p-" + participant);
    if (row) { showRow(row, status); }
  }

  function countTotals() {
    var totals = { present: 0, absent: 0, excused: 0, unmarked: 0 };
    rowsList.querySelectorAll(".register-row").forEach(function (row) {
      var status = row.dataset.status || "unmarked";
      totals[status] = (totals[status] || 0) + 1;
    });
    Object.keys(totals).forEach(function (name) {
      var cell = root.querySelector("[data-total=" + name + "]");
      if (cell) { cell.textContent = totals[name]; }
    });
  }

  function showPendingWalkIn(op) {
    var empty = rowsList.querySelector(".register-empty");
    if (empty) { empty.remove(); }
    var row = document.createElement("li");
    row.className = "register-row register-row--pending";
    row.dataset.status = "present";
    row.dataset.pending = op.id;
    var name = document.createElement("span");
    name.className = "register-name";
    name.textContent = op.name + " (" + root.dataset.msgWalkIn + ")";
    row.appendChild(name);
    rowsList.appendChild(row);
  }

  // A row as the page shows it, but for its forms' CSRF tokens (masked anew each time).
  function sameRow(shown, fresh) {
    var a = shown.cloneNode(true), b = fresh.cloneNode(true);
    [a, b].forEach(function (row) {
      row.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) { input.remove(); });
    });
    return a.isEqualNode(b);
  }

  // The server's rows in place of the shown ones, row by row: a row it did not change stays
  // the same element, so a tap on it at that very moment is not lost (a tap that began on a
  // row taken out of the page never becomes a click).
  function showRows(html) {
    var fresh = document.createElement("ul");
    fresh.innerHTML = html;
    var wanted = Array.prototype.map.call(fresh.children, function (row) {
      var shown = row.id ? document.getElementById(row.id) : null;
      return shown && shown.parentNode === rowsList && sameRow(shown, row) ? shown : row;
    });
    Array.prototype.slice.call(rowsList.children).forEach(function (row) {
      if (wanted.indexOf(row) < 0) { row.remove(); }
    });
    wanted.forEach(function (row, index) {
      var here = rowsList.children[index];
      if (here !== row) { rowsList.insertBefore(row, here || null); }
    });
  }

  function showQueue() {
    load().forEach(function (op) {
      if (op.type === "mark" || op.type === "family") { showMark(op.participant, op.status, op.member, op.type === "family"); }
      if (op.type === "walk_in" && !rowsList.querySelector("[data-pending='" + op.id + "']")) {
        showPendingWalkIn(op);
      }
    });
    countTotals();
  }

  function flush() {
    if (sending) { return; }
    var queue = load();
    if (!queue.length) { return; }
    sending = true;
    say(root.dataset.msgSending);
    var op = queue[0];
    // A request that hangs on a weak signal is given up after a while and tried again later
    // (sending a change twice does no harm).
    var controller = window.AbortController ? new AbortController() : null;
    var timer = window.setTimeout(function () { if (controller) { controller.abort(); } }, TIMEOUT_MS);
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",  // a redirect means the login ran out: never take it for a success
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify(payload(op)),
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        window.clearTimeout(timer);
        sending = false;
        var status = response.type === "opaqueredirect" ? 302 : response.status;
        if (status === 302 || status === 401 || status === 403) {  // kept for after a reload
          say(root.dataset.msgLogin + " " + load().length, true);
          return;
        }
        if (status >= 500 || status === 429) {  // try again later, but not for ever
          op.tries = (op.tries || 0) + 1;
          if (op.tries < MAX_TRIES) {
            save(load().map(function (o) { return o.id === op.id ? op : o; }));
            say(root.dataset.msgOffline + " " + load().length, true);
            return;
          }
          body.detail = root.dataset.msgFailed;  // dropped, so the changes after it can go
        }
        save(load().filter(function (o) { return o.id !== op.id; }));  // sent, or refused for good
        if (!response.ok) {
          var pending = rowsList.querySelector("[data-pending='" + op.id + "']");
          if (pending) { pending.remove(); }
          if (op.type === "walk_in") {
            walkInRefused(op, body.detail || response.statusText, body.field);
            say("");
          } else {
            say(body.detail || response.statusText, true);
          }
        }
        if (!load().length && body.rows !== undefined) {
          showRows(body.rows);
          showQueue();
          if (response.ok) { say(root.dataset.msgSaved); }
        } else {
          showQueue();
        }
        flush();
      });
    }, function () {  // no connection (or given up): keep the queue, try again later
      window.clearTimeout(timer);
      sending = false;
      say(root.dataset.msgOffline + " " + load().length, true);
    });
  }

  // A change sent at once is timed by the server's clock; only one that waited on the phone
  // carries the phone's time (so a device whose clock is off does not lose its fresh taps).
  function payload(op) {
    var sent = {};
    Object.keys(op).forEach(function (name) { sent[name] = op[name]; });
    if (Date.now() - Date.parse(op.at) < FRESH_MS) { delete sent.at; }
    delete sent.tries;
    // The server takes a person's id only as a JSON number (the form field gives text).
    if (sent.participant !== undefined) { sent.participant = Number(sent.participant); }
    if (sent.member !== undefined) { sent.member = Number(sent.member); }
    return sent;
  }

  function newId() { return Date.now().toString(36) + Math.random().toString(36).slice(2, 8); }

  rowsList.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    if (!form.classList.contains("marks") || !button) { return; }
    event.preventDefault();
    var op = { id: newId(), type: form.elements.type.value === "family" ? "family" : "mark", participant: form.participant.value, status: button.value, at: new Date().toISOString() };
    if (form.elements.member) { op.member = form.elements.member.value; }
    enqueue(op);
    showMark(op.participant, op.status, op.member, op.type === "family");
    countTotals();
    flush();
  });

  var walkIn = document.getElementById("walk-in-form");
  var WALK_IN_FIELDS = ["name", "country", "phone"];

  // An error of the walk-in form, shown at its field (as the page without script does).
  function fieldError(name, text) {
    var input = walkIn.elements[name];
    var box = input.closest(".field");
    var error = document.getElementById(input.id + "_error");
    if (!error) {
      error = document.createElement("p");
      error.className = "error";
      error.id = input.id + "_error";
      box.appendChild(error);
    }
    error.textContent = text;
    box.classList.add("field--error");
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", error.id);
  }

  function clearFieldErrors() {
    WALK_IN_FIELDS.forEach(function (name) {
      var input = walkIn.elements[name];
      var error = document.getElementById(input.id + "_error");
      if (error) { error.remove(); }
      input.closest(".field").classList.remove("field--error");
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    });
  }

  // A walk-in the server refused (a mistyped phone): what was typed comes back into the form
  // (unless another one is being typed) with the error at its field, to correct and send again.
  function walkInRefused(op, text, field) {
    if (!walkIn.elements.name.value && !walkIn.elements.phone.value) {
      walkIn.elements.name.value = op.name;
      walkIn.elements.phone.value = op.phone;
      walkIn.elements.country.value = op.country;
    }
    var name = WALK_IN_FIELDS.indexOf(field) >= 0 ? field : "phone";
    clearFieldErrors();
    fieldError(name, text);
    walkIn.elements[name].focus();
  }

  walkIn.addEventListener("submit", function (event) {
    event.preventDefault();
    var name = walkIn.elements.name.value.trim();
    var phone = walkIn.elements.phone.value.trim();
    clearFieldErrors();
    if (!name || !phone) {
      var missing = name ? "phone" : "name";
      fieldError(missing, root.dataset.msgRequired);
      walkIn.elements[missing].focus();
      return;
    }
    var op = { id: newId(), type: "walk_in", name: name, phone: phone, country: walkIn.elements.country.value, at: new Date().toISOString() };
    enqueue(op);
    showPendingWalkIn(op);
    countTotals();
    walkIn.elements.name.value = "";
    walkIn.elements.phone.value = "";
    walkIn.elements.name.focus();
    flush();
  });

  var noteForm = document.getElementById("note-form");
  noteForm.addEventListener("submit", function (event) {
    event.preventDefault();
    enqueue({ id: newId(), type: "note", note: noteForm.elements.note.value });
    flush();
  });

  window.addEventListener("online", flush);
  window.setInterval(flush, 10000);
  showQueue();
  flush();
  root.dataset.ready = "true";  // taps are now handled here (before, they post plain forms)
}());
