// benchpress default theme: progressive enhancement only. Every page reads
// and navigates without this script; it adds the theme toggle, copy
// buttons, the TOC's narrow/wide behaviour and the offline search box.
(function () {
  "use strict";
  var root = document.documentElement;
  var $ = function (sel, el) { return (el || document).querySelector(sel); };
  var $$ = function (sel, el) { return Array.prototype.slice.call((el || document).querySelectorAll(sel)); };

  // Theme: follows the system until the reader picks one, then persists.
  // The inline script in <head> applies a stored choice before first paint.
  var toggle = $(".theme-toggle");
  var systemDark = window.matchMedia("(prefers-color-scheme: dark)");
  var current = function () { return root.getAttribute("data-theme") || (systemDark.matches ? "dark" : "light"); };
  var sync = function () { if (toggle) toggle.setAttribute("aria-pressed", String(current() === "dark")); };
  if (toggle) {
    sync();
    toggle.addEventListener("click", function () {
      var next = current() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { localStorage.setItem("theme", next); } catch (e) {}
      sync();
    });
    if (systemDark.addEventListener) systemDark.addEventListener("change", sync);
  }

  // Copy buttons on source blocks (not on program output).
  var copyText = function (text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var ta = document.createElement("textarea");
      ta.value = text;
      ta.setAttribute("readonly", "");
      ta.style.position = "fixed";
      ta.style.opacity = "0";
      document.body.appendChild(ta);
      ta.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) {}
      document.body.removeChild(ta);
      if (ok) resolve(); else reject(new Error("copy failed"));
    });
  };
  // A live block's complete program: its <template class="live-program">,
  // with the shown lines put back where data-shown-at says when the build
  // left them out (they are in the highlighted code already). Shared with
  // playground.js.
  var codeText = function (pre) {
    var code = $("code", pre) || pre;
    // Line-number cells are not code.
    var lines = $$(".cl", code);
    return lines.length ? lines.map(function (l) { return l.textContent; }).join("") : code.textContent;
  };
  var programOf = function (block) {
    var t = $(":scope > template.live-program", block);
    if (!t) return null;
    var text = t.content ? t.content.textContent : t.textContent;
    var at = t.getAttribute("data-shown-at"), pre = $(":scope > pre.chroma, :scope > .code-block > pre.chroma", block);
    if (at === null) return text;
    if (!pre) return null;
    var shown = codeText(pre).replace(/\n$/, "").split("\n");
    if (String(shown.length) !== t.getAttribute("data-shown-lines")) return null;
    var lines = text.split("\n");
    Array.prototype.splice.apply(lines, [+at, 0].concat(shown));
    return lines.join("\n");
  };
  window.benchpressProgram = programOf;

  // A polite live region, present before it speaks, tells screen readers
  // what a copy did.
  var live;
  var announce = function (msg) { live.textContent = msg; };
  var blocks = $$(".prose pre.chroma");
  if (blocks.length) {
    live = document.createElement("p");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    document.body.appendChild(live);
  }
  blocks.forEach(function (pre) {
    var wrap = document.createElement("div");
    wrap.className = "code-block";
    pre.parentNode.insertBefore(wrap, pre);
    wrap.appendChild(pre);
    var b = document.createElement("button");
    b.type = "button";
    b.className = "copy-button";
    b.textContent = "Copy";
    var timer;
    var show = function (label, copied) {
      b.textContent = label;
      announce(copied ? "Code copied" : "Copy failed: select the code and press Ctrl+C");
      if (copied) b.setAttribute("data-copied", ""); else b.removeAttribute("data-copied");
      clearTimeout(timer);
      timer = setTimeout(function () { b.textContent = idle; b.removeAttribute("data-copied"); }, 2000);
    };
    // On a live block, Copy takes the complete program the build ran
    // (package, imports, hidden setup), which compiles as it is; the shown
    // lines alone would not.
    var block = wrap.closest ? wrap.closest(".live") : null;
    var program = block && programOf(block);
    if (program) {
      b.textContent = "Copy program";
      b.title = "The complete program, with the lines the post hides";
    }
    var idle = b.textContent;
    b.addEventListener("click", function () {
      var text = program || codeText(pre);
      copyText(text).then(function () { show("Copied", true); }, function () { show("Press Ctrl+C", false); });
    });
    wrap.appendChild(b);
  });

  // An author's SVG diagram scales with the column; on a phone its text
  // would shrink to 6 px. Below 11 px it keeps a readable size instead and
  // its figure scrolls sideways (.figure-scroll, with the edge shadows).
  var figures = $$(".prose figure > svg[viewBox]:not(.bench-svg):not(.plot-svg)");
  var fitFigure = function (svg) {
    var fig = svg.parentNode, vb = svg.viewBox.baseVal;
    if (!vb || !vb.width) return;
    var smallest = Infinity;
    $$("text", svg).forEach(function (t) {
      var fs = parseFloat(getComputedStyle(t).fontSize);
      if (fs) smallest = Math.min(smallest, fs);
    });
    if (smallest === Infinity) return;
    // Font sizes are in viewBox units; the readable width makes the
    // smallest text 11 px.
    var need = Math.ceil(vb.width * 11 / smallest);
    svg.style.minWidth = "";
    fig.classList.remove("figure-scroll");
    fig.removeAttribute("tabindex");
    if (fig.clientWidth < need) {
      svg.style.minWidth = need + "px";
      fig.classList.add("figure-scroll");
      fig.tabIndex = 0; // the keyboard scrolls it
    }
  };
  if (figures.length) {
    figures.forEach(fitFigure);
    // A figure's width changes with the window: refit it before the next
    // paint.
    if (window.ResizeObserver) {
      var widths = new Map();
      var ro = new ResizeObserver(function (entries) {
        entries.forEach(function (e) {
          var w = Math.round(e.contentRect.width);
          if (widths.get(e.target) === w) return;
          widths.set(e.target, w);
          fitFigure(e.target.querySelector(":scope > svg"));
        });
      });
      figures.forEach(function (svg) { ro.observe(svg.parentNode); });
    } else {
      window.addEventListener("resize", function () { figures.forEach(fitFigure); });
    }
  }

  // TOC: collapsed on narrow screens, open beside the text on wide ones.
  var toc = $(".toc details");
  if (toc) {
    var wide = window.matchMedia("(min-width: 72rem)");
    var fit = function () { toc.open = wide.matches; };
    if (wide.addEventListener) wide.addEventListener("change", fit);

    // Mark the section being read: the last heading that reached the top
    // of the window (at the end of the page, the last one in view).
    var links = $$("a[href^='#']", toc), heads = [], marked = null, queued = false;
    links.forEach(function (a) {
      var h = document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1)));
      if (h) heads.push({ h: h, a: a });
    });
    var spy = function () {
      queued = false;
      var end = window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2;
      var line = end ? window.innerHeight : 72, cur = null;
      for (var i = 0; i < heads.length && heads[i].h.getBoundingClientRect().top <= line; i++) cur = heads[i].a;
      if (cur === marked) return;
      if (marked) marked.removeAttribute("aria-current");
      if (cur) cur.setAttribute("aria-current", "location");
      marked = cur;
    };
    if (heads.length) {
      window.addEventListener("scroll", function () { if (!queued) { queued = true; requestAnimationFrame(spy); } }, { passive: true });
      spy();
    }
  }

  // Offline search over search.json, fetched on first use. Entries: t title,
  // u URL, s subtitle, d date, g tags, h headings, w the post's distinct
  // words. Every query term must match; title hits rank first.
  var input = $("#search-input");
  var box = $("#search-results");
  var page = $("#search-page");
  if (!input) return;
  var index = null, loading = null;
  var load = function () {
    if (!loading) {
      loading = fetch(input.getAttribute("data-index")).then(function (r) {
        if (!r.ok) throw new Error("search index: HTTP " + r.status);
        return r.json();
      }).then(function (entries) {
        index = entries.map(function (e) {
          return {
            e: e,
            title: e.t.toLowerCase(),
            meta: [e.s || "", (e.g || []).join(" "), (e.h || []).join(" ")].join(" ").toLowerCase(),
            words: e.w || ""
          };
        });
      });
    }
    return loading;
  };
  var esc = function (s) {
    return String(s).replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; });
  };
  var search = function (q) {
    var terms = q.toLowerCase().split(/\s+/).filter(Boolean);
    var hits = [];
    if (!terms.length) return hits;
    for (var i = 0; i < index.length; i++) {
      var it = index[i], score = 0;
      for (var j = 0; j < terms.length; j++) {
        var t = terms[j], s = 0;
        if (it.title.indexOf(t) >= 0) s += 10;
        if (it.meta.indexOf(t) >= 0) s += 4;
        if (it.words.indexOf(t) >= 0) s += 1;
        if (!s) { score = 0; break; }
        score += s;
      }
      if (score) hits.push({ e: it.e, score: score, i: i });
    }
    hits.sort(function (a, b) { return b.score - a.score || a.i - b.i; });
    return hits;
  };
  // In the dropdown the whole entry is the link; on the page only the title.
  var list = function (hits, page) {
    return "<ol>" + hits.map(function (h) {
      var e = h.e, hint = [e.d, e.s].filter(Boolean).join(" · ");
      hint = hint ? '<span class="hint">' + esc(hint) + "</span>" : "";
      return '<li><a href="' + esc(e.u) + '">' + esc(e.t) + (page ? "</a>" + hint : hint + "</a>") + "</li>";
    }).join("") + "</ol>";
  };
  var render = function () {
    var q = input.value.trim();
    if (!q) { box.hidden = true; box.innerHTML = ""; return; }
    var hits = search(q);
    var more = hits.length > 8 ? '<p class="more"><a href="' + esc(input.form.action + "?q=" + encodeURIComponent(q)) + '">All ' + hits.length + " results</a></p>" : "";
    box.innerHTML = hits.length ? list(hits.slice(0, 8)) + more : "<p>No posts match “" + esc(q) + "”.</p>";
    box.hidden = false;
  };
  // Once the index is loaded a query runs synchronously, keystroke by keystroke.
  var run = function () { if (index) render(); else load().then(render, function () {}); };
  input.addEventListener("input", run);
  input.addEventListener("focus", function () { load().catch(function () {}); });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { box.hidden = true; }
    if (ev.key === "ArrowDown" && !box.hidden) { var a = $("a", box); if (a) { ev.preventDefault(); a.focus(); } }
  });
  document.addEventListener("click", function (ev) { if (!input.form.contains(ev.target)) box.hidden = true; });
  box.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { box.hidden = true; input.focus(); return; }
    if (ev.key !== "ArrowDown" && ev.key !== "ArrowUp") return;
    var links = $$("a", box), i = links.indexOf(document.activeElement) + (ev.key === "ArrowDown" ? 1 : -1);
    ev.preventDefault();
    if (i < 0) input.focus(); else if (i < links.length) links[i].focus();
  });

  // The archive page is the search form's target: show the results of ?q=.
  var q = new URLSearchParams(location.search).get("q");
  if (page && q) {
    input.value = q;
    load().then(function () {
      var hits = search(q);
      page.innerHTML = "<h2>" + hits.length + " result" + (hits.length === 1 ? "" : "s") + " for “" + esc(q) + "”</h2>" +
        (hits.length ? list(hits, true) : "<p>No posts match. Every post is listed below.</p>");
      page.hidden = false;
    }, function () {});
  }
})();
