// benchpress Edit and Run, loaded only when config.yaml sets playground.url.
// A live block built with that setting carries data-playground (the
// server's URL), data-mode="bench" for a benchmark block, and its complete
// program in <template class="live-program"> (hidden setup lines included;
// a txtar archive when it has several files). This script first asks the
// server's /health; when it answers it adds Edit, Run and Reset, and
// otherwise says in place of them that the server is down. Edit turns the
// code into a numbered textarea in place, whose text is kept in the
// browser (localStorage) until Reset; Run posts the program to the
// server's /compile (the Go playground's JSON shape) and shows the reader's
// output right below the buttons, marked as the reader's run, scrolled
// into view; Reset puts the author's code and output back. A benchmark's
// rerun is shown as the server's HTML fragment, written by the build's own
// report code (internal/benchreport), so it is laid out as the author's
// report is. Without this script, or without the URL, the page is exactly
// what the build wrote.
(function () {
  "use strict";
  if (!window.fetch || !window.JSON || !document.querySelectorAll) return;
  var blocks = document.querySelectorAll(".live[data-playground]");
  // One health check per server, shared by its blocks.
  var health = {};
  var check = function (server) {
    if (!health[server]) {
      health[server] = fetch(server + "/health", { mode: "cors", credentials: "omit", cache: "no-store" }).then(function (res) {
        return res.ok;
      }, function () { return false; });
    }
    return health[server];
  };
  for (var i = 0; i < blocks.length; i++) setup(blocks[i]);

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function button(label, cls) {
    var b = el("button", cls, label);
    b.type = "button";
    return b;
  }

  // Durations as the build labels them: 850 µs, 41 ms, 2.31 s.
  function duration(ns) {
    var s = (ns || 0) / 1e9;
    if (s < 0.001) return Math.round(s * 1e6) + " µs";
    if (s < 1) return Math.round(s * 1e3) + " ms";
    return s.toFixed(2) + " s";
  }

  // The elements and attributes a report fragment may hold: what
  // internal/benchreport writes (HTML and its SVG chart), nothing that
  // runs, loads or links. The server is the site's own, but a fragment is
  // still rebuilt from this list rather than trusted.
  var allowedTags = /^(div|p|strong|em|code|q|span|br|table|caption|thead|tbody|tfoot|tr|th|td|dl|dt|dd|details|summary|figure|figcaption|svg|g|rect|line|path|circle|polyline|polygon|text|tspan|title|desc)$/;
  var allowedAttrs = /^(class|id|role|tabindex|scope|colspan|rowspan|aria-[a-z]+|data-[a-z-]+|viewbox|x|y|x1|y1|x2|y2|cx|cy|r|d|points|width|height|fill|fill-opacity|stroke|stroke-width|stroke-opacity|stroke-dasharray|text-anchor|dominant-baseline|font-size|font-weight|preserveaspectratio|transform|xmlns)$/;
  function cleanCopy(node, into) {
    for (var n = node.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === 3) { into.appendChild(document.createTextNode(n.data)); continue; }
      if (n.nodeType !== 1) continue;
      var tag = n.localName;
      if (!allowedTags.test(tag)) continue;
      var copy = n.namespaceURI === "http://www.w3.org/2000/svg" ? document.createElementNS(n.namespaceURI, tag) : document.createElement(tag);
      for (var a = 0; a < n.attributes.length; a++) {
        var at = n.attributes[a];
        if (allowedAttrs.test(at.name.toLowerCase())) copy.setAttribute(at.name, at.value);
      }
      cleanCopy(n, copy);
      into.appendChild(copy);
    }
    return into;
  }
  function fragment(html) {
    var t = document.createElement("template");
    t.innerHTML = html; // inert: nothing in a template runs or loads
    return cleanCopy(t.content, document.createDocumentFragment());
  }

  // Edits are kept per page and block, so a reload does not lose them.
  function storeKey(block) { return "benchpress-edit:" + location.pathname + "#" + block.id; }
  function stored(block) {
    try { return localStorage.getItem(storeKey(block)); } catch (e) { return null; }
  }
  function store(block, text) {
    try {
      if (text == null) localStorage.removeItem(storeKey(block));
      else localStorage.setItem(storeKey(block), text);
    } catch (e) {}
  }

  var ansi = /\x1b\[[0-9;?]*[ -\/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

  function setup(block) {
    // The complete program, as site.js rebuilds it from the template and
    // the shown lines; without site.js, a template that holds it all.
    var tpl = block.querySelector(":scope > template.live-program");
    if (!tpl) return;
    var original = window.benchpressProgram ? window.benchpressProgram(block) :
      tpl.hasAttribute("data-shown-at") ? null : tpl.content ? tpl.content.textContent : tpl.textContent;
    if (original == null) return;
    var server = block.getAttribute("data-playground").replace(/\/+$/, "");
    var host = server.replace(/^https?:\/\//, "");
    var bench = block.getAttribute("data-mode") === "bench";
    // The author's source, as shown: file labels and highlighted code
    // (site.js wraps each <pre> in a .code-block with a copy button).
    var views = [];
    for (var c = block.firstElementChild; c; c = c.nextElementSibling) {
      if (c.matches(".live-file, pre.chroma, .code-block")) views.push(c);
    }
    var authorOut = block.querySelector(":scope > .plot, :scope > .output, :scope > .bench");

    var bar = el("div", "pg-bar");
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", bench ? "Rerun this benchmark" : "Edit and run this program");
    var edit = button("Edit", "pg-edit");
    var run = button(bench ? "Rerun" : "Run", "pg-run");
    var reset = button("Reset", "pg-reset");
    var retry = button("Try again", "pg-retry");
    var hint = el("span", "pg-hint", "Tab indents · Esc then Tab leaves · Ctrl+Enter runs");
    var status = el("span", "pg-status");
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    [edit, run, reset, retry, hint].forEach(function (b) { b.hidden = true; bar.appendChild(b); });
    bar.appendChild(status);
    var anchor = views.length ? views[views.length - 1].nextSibling : block.firstChild;
    block.insertBefore(bar, anchor);

    var editor = null, gutter = null, frame = null, readerOut = null, escaped = false, busy = false;

    // The buttons are offered once the server answers /health; until
    // then, and when it does not, the bar says so in their place.
    function offer() {
      status.textContent = "Checking the playground server…";
      retry.hidden = true;
      check(server).then(function (up) {
        if (up) {
          edit.hidden = !!editor;
          run.hidden = false;
          reset.hidden = !editor && !readerOut;
          hint.hidden = !editor;
          bar.removeAttribute("data-down");
          status.textContent = !editor && stored(block) != null ? "Your edits are kept in this browser: Edit shows them, Reset drops them" : "";
          if (stored(block) != null) reset.hidden = false;
        } else {
          bar.setAttribute("data-down", "");
          status.textContent = (bench ? "Rerun" : "Edit and Run") + " unavailable: the playground server (" + host + ") does not answer. " +
            (bench ? "The report below is the author's, measured when the site was built." : "The output below is the author's, from when the site was built.");
          retry.hidden = false;
        }
      });
    }
    retry.addEventListener("click", function () {
      delete health[server];
      offer();
    });
    offer();

    edit.addEventListener("click", function () {
      if (editor) return;
      var saved = stored(block);
      frame = el("div", "pg-editor-frame");
      gutter = el("pre", "pg-gutter");
      gutter.setAttribute("aria-hidden", "true");
      editor = el("textarea", "pg-editor");
      editor.value = saved != null ? saved : original;
      editor.setAttribute("aria-label", "The program, editable: the complete file, with the lines the post hides");
      editor.setAttribute("spellcheck", "false");
      editor.setAttribute("autocapitalize", "off");
      editor.setAttribute("autocomplete", "off");
      editor.setAttribute("wrap", "off");
      editor.rows = Math.min(40, editor.value.split("\n").length + 1);
      editor.addEventListener("keydown", keys);
      editor.addEventListener("input", changed);
      editor.addEventListener("scroll", function () { gutter.scrollTop = editor.scrollTop; });
      frame.appendChild(gutter);
      frame.appendChild(editor);
      numbers();
      for (var i = 0; i < views.length; i++) views[i].hidden = true;
      block.insertBefore(frame, bar);
      edit.hidden = true;
      hint.hidden = false;
      reset.hidden = false;
      editor.focus();
      editor.setSelectionRange(0, 0);
      status.textContent = saved != null ? "Your edits, kept in this browser; Reset brings back the author's program" : "";
    });

    // Line numbers, as the compiler's messages cite them.
    function numbers() {
      var n = editor.value.split("\n").length, text = "";
      for (var i = 1; i <= n; i++) text += i + "\n";
      if (gutter.textContent !== text) gutter.textContent = text;
      gutter.scrollTop = editor.scrollTop;
    }

    // Every change is stored at once: a program is a few KB, and a reload
    // right after typing keeps the last keystroke.
    function changed() {
      numbers();
      store(block, editor.value === original ? null : editor.value);
    }

    // Tab indents, as Go is written; Esc first lets Tab leave the box.
    function keys(e) {
      if (e.key === "Escape") { escaped = true; return; }
      if ((e.ctrlKey || e.metaKey) && e.key === "Enter") { e.preventDefault(); go(false); return; }
      if (e.key === "Tab" && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey && !escaped) {
        e.preventDefault();
        if (!document.execCommand || !document.execCommand("insertText", false, "\t")) {
          editor.setRangeText("\t", editor.selectionStart, editor.selectionEnd, "end");
          changed();
        }
      }
      escaped = false;
    }

    run.addEventListener("click", function () { go(true); });

    reset.addEventListener("click", function () {
      store(block, null);
      if (readerOut) readerOut.parentNode.removeChild(readerOut);
      readerOut = null;
      if (frame) frame.parentNode.removeChild(frame);
      editor = gutter = frame = null;
      for (var i = 0; i < views.length; i++) views[i].hidden = false;
      edit.hidden = false;
      hint.hidden = true;
      reset.hidden = true;
      status.textContent = "Back to the author's code and output";
      edit.focus();
    });

    // go runs the program; moveFocus when the reader pressed Run (from the
    // editor's Ctrl+Enter the focus stays in the editor, and the result is
    // only scrolled into view).
    function go(moveFocus) {
      if (busy) return;
      busy = true;
      var body = editor ? editor.value : original;
      var req = { Body: body, Version: 2 };
      if (bench) {
        req.Mode = "bench";
        req.ReportID = block.id + "-rerun";
        // The author's report names its baseline: the rerun's ratios are
        // against the same benchmark.
        var base = authorOut && authorOut.getAttribute("data-baseline");
        if (base) req.Baseline = base;
      }
      run.disabled = true;
      run.textContent = bench ? "Rerunning…" : "Running…";
      block.setAttribute("aria-busy", "true");
      status.textContent = (bench ? "Measuring" : "Running") + " on " + host + "…";
      var done = function () {
        busy = false;
        run.disabled = false;
        run.textContent = bench ? "Rerun" : "Run";
        block.removeAttribute("aria-busy");
        reset.hidden = false;
      };
      fetch(server + "/compile", {
        method: "POST",
        mode: "cors",
        credentials: "omit",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(req)
      }).then(function (res) {
        return res.json().then(function (d) { return d; }, function () { return {}; }).then(function (d) {
          done();
          if (!res.ok) {
            var wait = res.headers.get("Retry-After");
            failed((d && d.Errors) || "the server answered " + res.status + ".", wait, moveFocus);
          } else if (bench && d.BenchHTML) {
            showBench(d, moveFocus);
          } else {
            showRun(d, body !== original, moveFocus);
          }
        });
      }, function () {
        done();
        failed("the playground server could not be reached (" + host + "): it may be down or restarting. The author's output below is from when the site was built.", null, moveFocus);
      });
    }

    // place puts the reader's result right below the buttons, where the
    // reader is looking, and brings it into view.
    function place(box, moveFocus) {
      box.setAttribute("data-reader-run", "");
      box.tabIndex = -1;
      if (readerOut) readerOut.parentNode.removeChild(readerOut);
      readerOut = box;
      bar.parentNode.insertBefore(box, bar.nextSibling);
      var smooth = !(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
      if (moveFocus) box.focus({ preventScroll: true });
      var r = box.getBoundingClientRect();
      var h = window.innerHeight || document.documentElement.clientHeight;
      if (r.top < 0 || r.top > h * 0.6) {
        // The bar stays in sight above the result when it fits.
        var top = Math.max(0, window.pageYOffset + bar.getBoundingClientRect().top - 8);
        if (r.height > h - (r.top - bar.getBoundingClientRect().top)) top = window.pageYOffset + r.top - 8;
        window.scrollTo({ top: top, behavior: smooth ? "smooth" : "auto" });
      }
    }

    function head(box, label, statusText) {
      var h = el("div", "output-head");
      h.appendChild(el("span", "output-label", label));
      h.appendChild(document.createTextNode(" "));
      h.appendChild(el("span", "output-status", statusText));
      box.appendChild(h);
    }

    function showRun(d, edited, moveFocus) {
      var compileError = d.Outcome === "compile-error";
      var box = el("div", "output pg-output" + (compileError ? " output-compile-error" : d.Status !== 0 ? " output-failed" : ""));
      box.setAttribute("data-status", d.Outcome || "");
      box.setAttribute("data-exit", String(d.Status));
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", "Your run's output");
      var label = "Your run" + (edited ? " (edited)" : "");
      var st = compileError ? "did not compile" : "exit " + d.Status + " · " + duration(d.Duration);
      if (d.Cached) st += " · same program, earlier run";
      head(box, label, st);
      var pre = el("pre", "output-body");
      pre.tabIndex = 0;
      var code = el("code");
      var events = d.Events || [];
      if (compileError) {
        code.appendChild(el("span", "stderr", d.Errors));
      } else {
        var kind = null, text = "";
        var flush = function () {
          if (text) code.appendChild(el("span", kind === "stderr" ? "stderr" : "stdout", text.replace(ansi, "")));
          text = "";
        };
        for (var i = 0; i < events.length; i++) {
          if (events[i].Kind !== kind) { flush(); kind = events[i].Kind; }
          text += events[i].Message;
        }
        flush();
        if (d.Errors) code.appendChild(el("span", "stderr pg-error", (events.length ? "\n" : "") + d.Errors + "\n"));
        if (d.BenchError) code.appendChild(el("span", "stderr pg-error", (events.length ? "\n" : "") + "No report: " + d.BenchError + "\n"));
        if (!events.length && !d.Errors) code.appendChild(el("span", "no-output", "(no output)"));
      }
      pre.appendChild(code);
      box.appendChild(pre);
      place(box, moveFocus);
      status.textContent = compileError ? "Your run did not compile" : "Your run finished: exit " + d.Status;
    }

    function failed(msg, wait, moveFocus) {
      var box = el("div", "output pg-output output-failed");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", "Your run: not run");
      head(box, "Your run", "not run");
      var pre = el("pre", "output-body");
      pre.tabIndex = 0;
      var text = "Not run: " + msg.replace(/\s+$/, "");
      if (wait && !/try again/.test(text)) text += " (try again in " + wait + " s)";
      pre.appendChild(el("span", "stderr", text));
      box.appendChild(pre);
      place(box, moveFocus);
      status.textContent = "Not run";
    }

    // showBench shows the server's report of the rerun: the HTML fragment
    // the build's own report code wrote (d.BenchHTML), under a head saying
    // whose run it is and where it ran, with the raw output folded below.
    function showBench(d, moveFocus) {
      var e = d.Env || {};
      var box = el("div", "pg-bench");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", "Your rerun's report");
      head(box, "Your rerun", "measured just now on a shared server");
      var where = [e.CPU, e.NumCPU ? e.NumCPU + " CPUs" : "", e.GoVersion,
        e.GOOS && e.GOARCH ? e.GOOS + "/" + e.GOARCH : ""].filter(Boolean).join(", ");
      box.appendChild(el("p", "pg-note", "These figures come from the playground server (" + where + ")" +
        (d.Alongside ? ", measured while " + d.Alongside + " other program" + (d.Alongside > 1 ? "s were" : " was") + " running" : "") +
        ", not from the machine the author's figures below were measured on: compare ratios within one table, not numbers across the two."));
      box.appendChild(fragment(d.BenchHTML));
      var raw = el("details", "pg-raw");
      raw.appendChild(el("summary", null, "Raw output (benchfmt)"));
      var pre = el("pre", "output-body");
      pre.tabIndex = 0;
      var text = "", events = d.Events || [];
      for (var i = 0; i < events.length; i++) if (events[i].Kind === "stdout") text += events[i].Message;
      pre.appendChild(el("code", null, text.replace(ansi, "")));
      raw.appendChild(pre);
      box.appendChild(raw);
      place(box, moveFocus);
      status.textContent = "Your rerun finished";
    }
  }
})();
