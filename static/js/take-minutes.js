/* The take-minutes screen (boards.admin_minutes): adds rows, keyboard shortcuts, and keeps
   what is typed in this browser (localStorage) until the minutes are saved, so a closed tab or
   an expired session loses nothing. Without this script the page still saves: each item has
   one blank paragraph, action and declaration row. */
(function () {
  "use strict";
  var form = document.getElementById("take_minutes_form");
  if (!form) { return; }
  var rowsBox = document.getElementById("minutes-rows");
  var key = "minutebook:take-minutes:" + form.dataset.meeting;
  var nouns = { p: "paragraph", a: "action", d: "declaration" };
  var KEEP_DAYS = 14;  // a draft left on a shared computer does not stay for ever

  document.querySelectorAll(".tm-js-only").forEach(function (el) { el.hidden = false; });

  function fieldsOf(row) {
    return row.querySelectorAll("input:not([type=hidden]), textarea, select");
  }
  function isDefault(el) {
    if (el.type === "checkbox") { return el.checked === el.defaultChecked && !el.checked; }
    if (el.tagName === "SELECT") {
      var first = el.options.length ? el.options[0].value : "";
      var chosen = el.options.length ? el.options[0] : null;
      for (var i = 0; i < el.options.length; i++) {
        if (el.options[i].defaultSelected) { chosen = el.options[i]; }
      }
      return el.value === (chosen ? chosen.value : first);
    }
    return el.value === "";
  }
  function isEmpty(row) {
    return Array.prototype.every.call(fieldsOf(row), isDefault);
  }
  function suffixOf(row, el) {
    return el.name.slice(row.dataset.prefix.length + 1);
  }
  function rowPk(row) {
    var id = row.querySelector("input[name='" + row.dataset.prefix + "-id']");
    return id ? id.value : "";
  }
  function kindOf(row) {
    return row.dataset.prefix.split("-")[0];
  }

  // -- adding rows ------------------------------------------------------------------------------
  function addRow(section, kind) {
    var group = section.querySelector(".tm-group[data-kind='" + kind + "']");
    var blank = Array.prototype.find.call(group.querySelectorAll(".tm-row.tm-blank[hidden]"), isEmpty);
    if (blank) { blank.hidden = false; return blank; }
    var total = form.querySelector("input[name='" + kind + "-TOTAL_FORMS']");
    var index = parseInt(total.value, 10);
    var html = document.getElementById("tm-template-" + kind).innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var row = holder.firstElementChild;
    row.querySelector("input[name='" + kind + "-" + index + "-item']").value = section.dataset.item;
    group.insertBefore(row, group.querySelector(".tm-add"));
    total.value = String(index + 1);
    if (kind === "p") { numberHint(section); }
    return row;
  }
  function focusRow(row) {
    var target = row.querySelector("textarea") || fieldsOf(row)[0];
    if (target) { target.focus(); }
  }
  function numberHint(section) {
    var number = section.dataset.number;
    if (!number) { return; }
    var rows = section.querySelectorAll(".tm-group[data-kind='p'] .tm-row:not([hidden])");
    rows.forEach(function (row, i) {
      var input = row.querySelector("input[name$='-number']");
      if (input && !input.value) { input.placeholder = "auto: " + number + "." + (i + 1); }
    });
  }
  function sectionTitle(section) {
    var h = section.querySelector("h2");
    return h ? h.textContent.trim() : "";
  }
  rowsBox.querySelectorAll(".tm-item").forEach(function (section) {
    section.querySelectorAll(".tm-add").forEach(function (slot) {
      var kind = slot.dataset.kind;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button tm-add-button";
      button.textContent = "Add " + (kind === "a" ? "an " : "a ") + nouns[kind];
      button.setAttribute("aria-label", button.textContent + " to " + sectionTitle(section));
      if (kind !== "d") { button.setAttribute("aria-keyshortcuts", kind === "p" ? "Alt+Shift+P" : "Alt+Shift+A"); }
      button.addEventListener("click", function () { focusRow(addRow(section, kind)); remember(); });
      slot.appendChild(button);
    });
    // Blank actions and declarations wait behind their buttons; blank paragraphs stay open.
    section.querySelectorAll(".tm-row-a.tm-blank, .tm-row-d.tm-blank").forEach(function (row) {
      if (isEmpty(row)) { row.hidden = true; }
    });
    numberHint(section);
  });

  // -- shortcuts --------------------------------------------------------------------------------
  function currentSection() {
    var here = document.activeElement && document.activeElement.closest ? document.activeElement.closest(".tm-item[data-item]") : null;
    if (here && here.dataset.item) { return here; }
    return rowsBox.querySelector(".tm-item[data-item]:not([data-item=''])");
  }
  document.addEventListener("keydown", function (event) {
    if (event.altKey && event.shiftKey && (event.code === "KeyP" || event.code === "KeyA")) {
      var section = currentSection();
      if (!section) { return; }
      event.preventDefault();
      focusRow(addRow(section, event.code === "KeyP" ? "p" : "a"));
      remember();
    } else if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      event.preventDefault();
      form.requestSubmit(form.querySelector("input[name=_save]"));
    }
  });

  // -- the draft kept in this browser ------------------------------------------------------------
  function collect() {
    var rows = [];
    rowsBox.querySelectorAll(".tm-row").forEach(function (row) {
      var pk = rowPk(row);
      if (!pk && isEmpty(row)) { return; }
      var fields = {};
      fieldsOf(row).forEach(function (el) {
        fields[suffixOf(row, el)] = el.type === "checkbox" ? el.checked : el.value;
      });
      var item = row.querySelector("input[name='" + row.dataset.prefix + "-item']");
      rows.push({ kind: kindOf(row), pk: pk, item: item ? item.value : "", fields: fields });
    });
    return rows;
  }
  var shownRows = JSON.stringify(collect());
  function store(value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* storage full or off */ }
  }
  var timer = null;
  function remember() {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      var rows = collect();
      if (JSON.stringify(rows) === shownRows) { window.localStorage.removeItem(key); return; }
      store(JSON.stringify({ savedAt: new Date().toISOString(), version: form.dataset.version, rows: rows }));
    }, 400);
  }
  form.addEventListener("input", remember);
  form.addEventListener("change", remember);

  function fill(row, fields) {
    Object.keys(fields).forEach(function (suffix) {
      var el = row.querySelector("[name='" + row.dataset.prefix + "-" + suffix + "']");
      if (!el) { return; }
      if (el.type === "checkbox") { el.checked = !!fields[suffix]; } else { el.value = fields[suffix]; }
    });
    row.hidden = false;
  }
  function restore(draft) {
    draft.rows.forEach(function (saved) {
      if (saved.pk) {
        var row = Array.prototype.find.call(rowsBox.querySelectorAll(".tm-row-" + saved.kind), function (r) { return rowPk(r) === saved.pk; });
        if (row) { fill(row, saved.fields); }
        return;
      }
      var section = rowsBox.querySelector(".tm-item[data-item='" + saved.item + "']");
      if (!section) { return; }
      var group = section.querySelector(".tm-group[data-kind='" + saved.kind + "']");
      var blank = Array.prototype.find.call(group.querySelectorAll(".tm-row.tm-blank"), isEmpty);
      fill(blank || addRow(section, saved.kind), saved.fields);
    });
    rowsBox.querySelectorAll(".tm-item").forEach(numberHint);
  }
  var banner = document.getElementById("tm-draft");
  function offer(draft) {
    var when = new Date(draft.savedAt);
    var text = document.createElement("p");
    text.textContent = "This browser kept minutes typed here on " + when.toLocaleString() +
      " that were not saved" + (draft.version !== form.dataset.version ? " (the minutes have been saved since: check them after restoring)" : "") + ".";
    var yes = document.createElement("button");
    yes.type = "button"; yes.className = "button"; yes.textContent = "Restore what was typed";
    var no = document.createElement("button");
    no.type = "button"; no.className = "button"; no.textContent = "Discard it";
    yes.addEventListener("click", function () { restore(draft); banner.hidden = true; remember(); });
    no.addEventListener("click", function () { window.localStorage.removeItem(key); banner.hidden = true; });
    banner.replaceChildren(text, yes, document.createTextNode(" "), no);
    banner.hidden = false;
  }
  if (form.dataset.saved) {
    window.localStorage.removeItem(key);  // the page after a successful save
    // Forget the mark too, so reloading later (with new typing kept) does not drop the draft.
    window.history.replaceState(null, "", window.location.pathname);
  } else {
    var kept = null;
    try { kept = JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { kept = null; }
    var age = kept ? Date.now() - new Date(kept.savedAt).getTime() : 0;
    if (kept && !(age < KEEP_DAYS * 86400000)) {
      window.localStorage.removeItem(key);  // older than KEEP_DAYS (or unreadable): forgotten
    } else if (kept && kept.rows && JSON.stringify(kept.rows) !== shownRows) { offer(kept); }
  }

  // -- the error summary: focused on arrival, each link focuses its field ------------------------
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) { return; }
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) { return; }
      event.preventDefault();
      var row = target.closest(".tm-row");
      if (row) { row.hidden = false; }
      target.scrollIntoView({ block: "center" });
      if (target.focus) { target.focus(); }
    });
  }
})();
