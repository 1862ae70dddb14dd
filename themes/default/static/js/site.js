// benchpress default theme: progressive enhancement only. The site works
// without this script; it adds the theme toggle, copy buttons and search.
(function () {
  "use strict";
  var root = document.documentElement;

  // Theme toggle: follows the system until the reader picks, then persists.
  var toggle = document.querySelector(".theme-toggle");
  if (toggle) {
    toggle.hidden = false;
    var current = function () {
      var t = root.getAttribute("data-theme");
      if (t) return t;
      return window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
    };
    var sync = function () { toggle.setAttribute("aria-pressed", current() === "dark" ? "true" : "false"); };
    sync();
    toggle.addEventListener("click", function () {
      var next = current() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { localStorage.setItem("theme", next); } catch (e) {}
      sync();
    });
  }

  // Copy buttons on source blocks (not on outputs).
  document.querySelectorAll(".prose pre.chroma").forEach(function (pre) {
    if (pre.closest(".output")) return;
    var wrap = document.createElement("div");
    wrap.className = "code-block";
    pre.parentNode.insertBefore(wrap, pre);
    wrap.appendChild(pre);
    var b = document.createElement("button");
    b.type = "button";
    b.className = "copy-button";
    b.textContent = "Copy";
    b.setAttribute("aria-label", "Copy code to clipboard");
    b.addEventListener("click", function () {
      var code = pre.querySelector("code") || pre;
      var text = Array.prototype.map.call(code.querySelectorAll(".cl"), function (l) { return l.textContent; }).join("") || code.textContent;
      var done = function () { b.textContent = "Copied"; setTimeout(function () { b.textContent = "Copy"; }, 1500); };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () {});
      }
    });
    wrap.appendChild(b);
  });

  // Offline search over /search.json, loaded on first use.
  var input = document.getElementById("search-input");
  var box = document.getElementById("search-results");
  if (input && box) {
    var index = null, loading = null;
    var load = function () {
      if (!loading) {
        loading = fetch(input.getAttribute("data-index")).then(function (r) { return r.json(); }).then(function (entries) {
          index = entries.map(function (e) {
            return { e: e, hay: [e.t, e.s || "", (e.g || []).join(" "), (e.h || []).join(" "), e.x].join(" ").toLowerCase(), title: e.t.toLowerCase() };
          });
        });
      }
      return loading;
    };
    var esc = function (s) { return s.replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; }); };
    var run = function () {
      var q = input.value.trim().toLowerCase();
      if (!q) { box.hidden = true; box.innerHTML = ""; return; }
      load().then(function () {
        var terms = q.split(/\s+/);
        var hits = [];
        for (var i = 0; i < index.length; i++) {
          var it = index[i], score = 0, ok = true;
          for (var j = 0; j < terms.length; j++) {
            if (it.hay.indexOf(terms[j]) < 0) { ok = false; break; }
            if (it.title.indexOf(terms[j]) >= 0) score += 10;
            score += 1;
          }
          if (ok) hits.push({ it: it, score: score });
        }
        hits.sort(function (a, b) { return b.score - a.score; });
        var html = hits.slice(0, 10).map(function (h) {
          return '<li><a href="' + esc(h.it.e.u) + '">' + esc(h.it.e.t) + '<span class="hint">' + esc(h.it.e.s || h.it.e.d || "") + "</span></a></li>";
        }).join("");
        box.innerHTML = html ? "<ol>" + html + "</ol>" : "<p>No posts match.</p>";
        box.hidden = false;
      });
    };
    input.addEventListener("input", run);
    input.addEventListener("focus", load);
    input.form.addEventListener("submit", function (ev) { ev.preventDefault(); run(); });
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape") { box.hidden = true; }
    });
  }
})();
