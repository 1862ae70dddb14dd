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
  // A d2 diagram's drawing sits in its .diagram-svg box.
  var figures = $$(".prose figure > svg[viewBox]:not(.bench-svg):not(.plot-svg), .prose .diagram-svg > svg[viewBox]");
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

  // Offline search over the split index in search/ (see package
  // generator/search): the manifest on first use, then only the chunks of
  // terms a query needs and the metadata of the pages it shows. Every
  // query term must match (terms of 3+ characters as prefixes); titles
  // rank first, then headings, subtitles and tags, then the text, and
  // terms found side by side in the query's order rank higher ("quoted
  // words" must be side by side: every position of every term is in the
  // index, so a phrase is found wherever it occurs).
  var input = $("#search-input");
  var box = $("#search-results");
  var page = $("#search-page");
  if (!input) return;
  var manifest = null, files = {};
  var indexURL = input.getAttribute("data-index");
  var get = function (name) {
    var url = new URL(name, new URL(indexURL, location.href)).href + "?v=" + manifest.v;
    if (!files[name]) {
      files[name] = fetch(url).then(function (r) {
        if (!r.ok) throw new Error("search index: HTTP " + r.status + " for " + name);
        return r.json();
      });
      files[name].catch(function () { delete files[name]; });
    }
    return files[name];
  };
  var loading = null;
  var load = function () {
    if (!loading) {
      loading = fetch(indexURL).then(function (r) {
        if (!r.ok) throw new Error("search index: HTTP " + r.status);
        return r.json();
      }).then(function (m) { manifest = m; });
      loading.catch(function () { loading = null; });
    }
    return loading;
  };
  // The terms of a text, as generator/search.Tokens makes them.
  var wordRE = /[\p{L}\p{M}\p{Nd}_]/u, cjkRE = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]/u;
  var lower = function (c) { return String.fromCodePoint(String(c).toLowerCase().codePointAt(0)); };
  var tokens = function (s) {
    var out = [], w = "", n = 0;
    // Lower case can make a term composable: NFC again, as Go does.
    var flush = function () { if (w) { out.push(w.normalize("NFC")); w = ""; n = 0; } };
    for (var c of s.normalize("NFC")) {
      if (cjkRE.test(c)) { flush(); out.push(lower(c)); }
      else if (wordRE.test(c)) { if (n < 64) { w += lower(c); n++; } }
      else flush();
    }
    flush();
    return out;
  };
  // The chunks that may hold q (or, as a prefix, every term it starts).
  var chunkOf = function (t) {
    var c = manifest.chunks, lo = 0, hi = c.length - 1;
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (c[mid] <= t) lo = mid; else hi = mid - 1; }
    return lo;
  };
  var chunksFor = function (q, prefix) {
    var out = [];
    if (!manifest.chunks.length) return out;
    for (var i = chunkOf(q), j = prefix ? chunkOf(q + "\uffff") : i; i <= j; i++) out.push(i);
    return out;
  };
  var weigh = function (f) { return (f & 1 ? 12 : 0) + (f & 2 ? 5 : 0) + (f & 4 ? 3 : 0); };
  // A term's postings are a string of numbers, each in base 32 with a
  // digit a character (value 32 + d but in the last place); for each page:
  // the gap from the last page, fields, N, then N position gaps. each(doc,
  // fields, positions) is called for each page in turn.
  var digit = [];
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".split("").forEach(function (c, v) { digit[c.charCodeAt(0)] = v; });
  var postings = function (s, each) {
    var i = 0, doc = 0;
    var next = function () {
      var x = 0, d;
      do { d = digit[s.charCodeAt(i++)]; x = x * 32 + (d & 31); } while (d >= 32);
      return x;
    };
    while (i < s.length) {
      doc += next();
      var f = next(), n = next(), pos = new Array(n), p = 0;
      for (var m = 0; m < n; m++) { p += next(); pos[m] = p; }
      each(doc, f, pos);
    }
  };
  // The positions p of a (sorted) with p + k in b (sorted).
  var along = function (a, b, k) {
    var out = [];
    for (var i = 0, j = 0; i < a.length && j < b.length;) {
      var d = b[j] - a[i] - k;
      if (d < 0) j++;
      else { if (!d) out.push(a[i]); i++; }
    }
    return out;
  };
  var searchIndex = function (q) {
    var phrase = /^\s*".*"\s*$/.test(q);
    var terms = tokens(q);
    if (!terms.length) return Promise.resolve([]);
    return load().then(function () {
      return Promise.all(terms.map(function (t) {
        var prefix = t.length >= 3;
        return Promise.all(chunksFor(t, prefix).map(function (i) { return get("t" + i + ".json"); })).then(function (chunks) {
          // doc -> {s: score, p: positions, m: from more than one term}
          var docs = {};
          chunks.forEach(function (chunk) {
            for (var term in chunk) {
              if (term !== t && !(prefix && term.lastIndexOf(t, 0) === 0)) continue;
              var exact = term === t ? 1 : 0.6;
              postings(chunk[term], function (doc, f, pos) {
                var d = docs[doc];
                if (d) { d.p = d.p.concat(pos); d.m = true; } else d = docs[doc] = { s: 0, p: pos };
                d.s = Math.max(d.s, exact * (weigh(f) + (pos.length ? 1 + Math.log(pos.length) : 0)));
              });
            }
          });
          for (var id in docs) if (docs[id].m) docs[id].p.sort(function (a, b) { return a - b; });
          return docs;
        });
      }));
    }).then(function (per) {
      var hits = [];
      for (var id in per[0]) {
        var score = 0, all = true, near = 0, j;
        for (j = 0; j < per.length && all; j++) { if (per[j][id]) score += per[j][id].s; else all = false; }
        if (!all) continue;
        for (j = 0; j + 1 < per.length; j++) if (along(per[j][id].p, per[j + 1][id].p, 1).length) near++;
        // The places where every term follows the one before.
        var at = per[0][id].p;
        for (j = 1; j < per.length && at.length; j++) at = along(at, per[j][id].p, j);
        var whole = per.length > 1 && at.length > 0;
        if (phrase && per.length > 1 && !whole) continue;
        hits.push({ id: +id, score: score + 8 * near + (whole ? 20 : 0) });
      }
      hits.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
      return hits;
    });
  };
  // The metadata of hits: [title, URL, date, subtitle].
  var describe = function (hits) {
    var per = manifest.per;
    return Promise.all(hits.map(function (h) {
      return get("d" + Math.floor(h.id / per) + ".json").then(function (d) {
        var m = d[h.id % per];
        return { t: m[0], u: m[1], d: m[2], s: m[3], score: h.score };
      });
    }));
  };
  // For the browser suite, and for anyone scripting the page.
  window.benchpressSearch = { tokens: tokens, search: function (q) { return searchIndex(q).then(describe); } };
  // An element with attributes and children (strings become text: a
  // post's title or the query never reaches the parser as HTML).
  var make = function (tag, attrs, kids) {
    var e = document.createElement(tag);
    for (var a in attrs) e.setAttribute(a, attrs[a]);
    e.append.apply(e, kids.filter(Boolean));
    return e;
  };
  // In the dropdown the whole entry is the link; on the page only the title.
  var list = function (hits, page) {
    return make("ol", {}, hits.map(function (e) {
      var hint = [e.d, e.s].filter(Boolean).join(" · ");
      hint = hint && make("span", { class: "hint" }, [hint]);
      return make("li", {}, [make("a", { href: e.u }, [e.t, !page && hint]), page && hint]);
    }));
  };
  var show = function (el, kids) { el.replaceChildren.apply(el, kids.filter(Boolean)); };
  // Queries are answered in order: a slow chunk for an old query never
  // overwrites a newer query's results.
  var asked = 0;
  var render = function () {
    var q = input.value.trim(), n = ++asked;
    if (!q) { box.hidden = true; show(box, []); return; }
    searchIndex(q).then(function (hits) {
      return describe(hits.slice(0, 8)).then(function (shown) {
        if (n !== asked) return;
        var more = hits.length > 8 && make("p", { class: "more" }, [make("a", { href: input.form.action + "?q=" + encodeURIComponent(q) }, ["All " + hits.length + " results"])]);
        show(box, hits.length ? [list(shown), more] : [make("p", {}, ["No posts match “" + q + "”."])]);
        box.hidden = false;
      });
    }).catch(function () {
      if (n !== asked) return;
      show(box, [make("p", {}, ["Search is unavailable: the index could not be loaded."])]);
      box.hidden = false;
    });
  };
  input.addEventListener("input", render);
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
    window.benchpressSearch.search(q).then(function (hits) {
      show(page, [make("h2", {}, [hits.length + " result" + (hits.length === 1 ? "" : "s") + " for “" + q + "”"]),
        hits.length ? list(hits, true) : make("p", {}, ["No posts match. Every post is listed below."])]);
      page.hidden = false;
    }, function () {});
  }
})();
