// benchpress Edit and Run, loaded only when config.yaml sets playground.url.
// A live block built with that setting carries data-playground (the
// server's URL), data-mode="bench" for a benchmark block, and its complete
// program in <template class="live-program"> (hidden setup lines included;
// a txtar archive when it has several files). This script adds Edit, Run
// and Reset: Edit turns the code into a textarea in place, Run posts the
// program to the server's /compile (the Go playground's JSON shape) and
// shows the reader's output below the author's, marked as the reader's run;
// Reset puts the author's code and output back. Without this script, or
// without the URL, the page is exactly what the build wrote.
(function () {
  "use strict";
  if (!window.fetch || !window.JSON || !document.querySelectorAll) return;
  var blocks = document.querySelectorAll(".live[data-playground]");
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

  // Durations as the build labels them: 850µs, 41ms, 2.31s.
  function duration(ns) {
    var s = (ns || 0) / 1e9;
    if (s < 0.001) return Math.round(s * 1e6) + "µs";
    if (s < 1) return Math.round(s * 1e3) + "ms";
    return s.toFixed(2) + "s";
  }

  var ansi = /\x1b\[[0-9;?]*[ -\/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

  function setup(block) {
    var tpl = block.querySelector("template.live-program");
    if (!tpl) return;
    var original = tpl.content ? tpl.content.textContent : tpl.textContent;
    var server = block.getAttribute("data-playground").replace(/\/+$/, "");
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
    reset.hidden = true;
    var hint = el("span", "pg-hint", "Tab indents · Esc then Tab leaves · Ctrl+Enter runs");
    hint.hidden = true;
    var status = el("span", "pg-status");
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    bar.appendChild(edit);
    bar.appendChild(run);
    bar.appendChild(reset);
    bar.appendChild(hint);
    bar.appendChild(status);
    var anchor = views.length ? views[views.length - 1].nextSibling : block.firstChild;
    block.insertBefore(bar, anchor);

    var editor = null, readerOut = null, escaped = false, busy = false;

    edit.addEventListener("click", function () {
      if (editor) return;
      editor = el("textarea", "pg-editor");
      editor.value = original;
      editor.setAttribute("aria-label", "The program, editable: the complete file, with the lines the post hides");
      editor.setAttribute("spellcheck", "false");
      editor.setAttribute("autocapitalize", "off");
      editor.setAttribute("autocomplete", "off");
      editor.setAttribute("wrap", "off");
      editor.rows = Math.min(40, original.split("\n").length + 1);
      editor.addEventListener("keydown", keys);
      for (var i = 0; i < views.length; i++) views[i].hidden = true;
      block.insertBefore(editor, bar);
      edit.hidden = true;
      hint.hidden = false;
      reset.hidden = false;
      editor.focus();
      editor.setSelectionRange(0, 0);
      status.textContent = "";
    });

    // Tab indents, as Go is written; Esc first lets Tab leave the box.
    function keys(e) {
      if (e.key === "Escape") { escaped = true; return; }
      if ((e.ctrlKey || e.metaKey) && e.key === "Enter") { e.preventDefault(); go(); return; }
      if (e.key === "Tab" && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey && !escaped) {
        e.preventDefault();
        if (!document.execCommand || !document.execCommand("insertText", false, "\t")) {
          editor.setRangeText("\t", editor.selectionStart, editor.selectionEnd, "end");
        }
      }
      escaped = false;
    }

    run.addEventListener("click", go);

    reset.addEventListener("click", function () {
      if (readerOut) readerOut.parentNode.removeChild(readerOut);
      readerOut = null;
      if (editor) editor.parentNode.removeChild(editor);
      editor = null;
      for (var i = 0; i < views.length; i++) views[i].hidden = false;
      edit.hidden = false;
      hint.hidden = true;
      reset.hidden = true;
      status.textContent = "Back to the author's code and output";
      edit.focus();
    });

    function go() {
      if (busy) return;
      busy = true;
      var body = editor ? editor.value : original;
      var req = { Body: body, Version: 2 };
      if (bench) {
        req.Mode = "bench";
        // The author's report names its baseline: the rerun's ratios are
        // against the same benchmark.
        var base = authorOut && authorOut.getAttribute("data-baseline");
        if (base) req.Baseline = base;
      }
      run.disabled = true;
      run.textContent = bench ? "Rerunning…" : "Running…";
      block.setAttribute("aria-busy", "true");
      status.textContent = (bench ? "Measuring" : "Running") + " on " + server.replace(/^https?:\/\//, "") + "…";
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
          if (!res.ok) {
            var wait = res.headers.get("Retry-After");
            failed((d && d.Errors) || "the server answered " + res.status + ".", wait);
          } else if (bench && d.Bench && d.Bench.Rows && d.Bench.Rows.length) {
            showBench(d);
          } else {
            showRun(d, body !== original);
          }
          done();
        });
      }, function () {
        failed("the playground server could not be reached (" + server + ").");
        done();
      });
    }

    function place(box) {
      box.setAttribute("data-reader-run", "");
      if (readerOut) readerOut.parentNode.removeChild(readerOut);
      readerOut = box;
      var after = authorOut || bar;
      after.parentNode.insertBefore(box, after.nextSibling);
    }

    function head(box, label, statusText) {
      var h = el("div", "output-head");
      h.appendChild(el("span", "output-label", label));
      h.appendChild(document.createTextNode(" "));
      h.appendChild(el("span", "output-status", statusText));
      box.appendChild(h);
    }

    function showRun(d, edited) {
      var compileError = d.Outcome === "compile-error";
      var box = el("div", "output pg-output" + (compileError ? " output-compile-error" : d.Status !== 0 ? " output-failed" : ""));
      box.setAttribute("data-status", d.Outcome || "");
      box.setAttribute("data-exit", String(d.Status));
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
      place(box);
      status.textContent = compileError ? "Your run did not compile" : "Your run finished: exit " + d.Status;
    }

    function failed(msg, wait) {
      var box = el("div", "output pg-output output-failed");
      head(box, "Your run", "not run");
      var pre = el("pre", "output-body");
      pre.tabIndex = 0;
      var text = "Not run: " + msg.replace(/\s+$/, "");
      if (wait && !/try again/.test(text)) text += " (try again in " + wait + " s)";
      pre.appendChild(el("span", "stderr", text));
      box.appendChild(pre);
      place(box);
      status.textContent = "Not run";
    }

    // showBench shows the server's report of the rerun (d.Bench: the
    // summary the author's report is made from, every figure already
    // spelled the same way) as the author's table is laid out, with the
    // theme's classes, so it reads the same and turns into cards on a
    // phone. Everything from the server goes in as text, never as markup.
    function showBench(d) {
      var rep = d.Bench, e = d.Env || {};
      var box = el("div", "bench pg-bench");
      head(box, "Your rerun", "measured just now on a shared server");
      var where = [e.CPU, e.NumCPU ? e.NumCPU + " CPUs" : "", rep.Procs && rep.Procs.length === 1 ? "GOMAXPROCS " + rep.Procs[0] : "", e.GoVersion,
        e.GOOS && e.GOARCH ? e.GOOS + "/" + e.GOARCH : ""].filter(Boolean).join(", ");
      box.appendChild(el("p", "pg-note", "These figures come from the playground server (" + where + ")" +
        (d.Alongside ? ", measured while " + d.Alongside + " other program" + (d.Alongside > 1 ? "s were" : " was") + " running" : "") +
        ", not from the machine the author's figures above were measured on: compare ratios within one table, not numbers across the two."));
      var warnings = rep.Warnings || [];
      for (var w = 0; w < warnings.length; w++) {
        var p = el("p", "bench-warning", warnings[w]);
        p.setAttribute("role", "note");
        box.appendChild(p);
      }
      var cols = rep.Columns || [], multi = rep.Procs && rep.Procs.length > 1;
      var scroll = el("div", "bench-scroll");
      scroll.tabIndex = 0;
      scroll.setAttribute("role", "region");
      scroll.setAttribute("aria-label", "Your rerun's results");
      var table = el("table", "bench-table" + (rep.Wide ? " bench-wide" : ""));
      table.appendChild(el("caption", null, "Your rerun: " + rep.Caption));
      var tr = el("tr");
      var th = function (text, cls) { var h = el("th", cls, text); h.scope = "col"; tr.appendChild(h); return h; };
      th("Benchmark");
      if (multi) th("GOMAXPROCS", "num");
      for (var c = 0; c < cols.length; c++) {
        th(cols[c].Unit, "num");
        if (rep.Baseline) th("vs " + rep.Baseline, "num").appendChild(el("span", "visually-hidden", " (" + cols[c].Unit + ")"));
      }
      table.appendChild(el("thead")).appendChild(tr);
      var body = el("tbody");
      var rows = rep.Rows || [];
      for (var r = 0; r < rows.length; r++) body.appendChild(benchRow(rows[r], rep, cols, multi));
      table.appendChild(body);
      if (rep.Geomeans && rep.Geomeans.length) {
        var foot = el("tfoot");
        for (var g = 0; g < rep.Geomeans.length; g++) foot.appendChild(benchRow(rep.Geomeans[g], rep, cols, multi));
        table.appendChild(foot);
      }
      scroll.appendChild(table);
      box.appendChild(scroll);
      var legend = el("dl", "bench-legend");
      var term = function (dt, dd) { legend.appendChild(el("dt", null, dt)); legend.appendChild(el("dd", null, dd)); };
      if (/±/.test(rep.Caption)) term("±5%", "the 95% confidence interval of the median, as a percentage of it: the spread of the runs.");
      if (rep.Baseline) {
        term("0.50×", "the median divided by " + rep.Baseline + "’s median in the same configuration: below 1× is less (for time, faster).");
        term("~", "no statistically significant difference from " + rep.Baseline + " (Mann-Whitney U test, p ≥ 0.05).");
      }
      if (rep.Zero && rep.Zero.length) term(rep.Zero.join(", "), "every run of every benchmark: the table leaves out what carries no information.");
      if (legend.firstChild) box.appendChild(legend);
      var raw = el("details", "pg-raw");
      raw.appendChild(el("summary", null, "Raw output (benchfmt)"));
      var pre = el("pre", "output-body");
      pre.tabIndex = 0;
      var text = "", events = d.Events || [];
      for (var i = 0; i < events.length; i++) if (events[i].Kind === "stdout") text += events[i].Message;
      pre.appendChild(el("code", null, text.replace(ansi, "")));
      raw.appendChild(pre);
      box.appendChild(raw);
      place(box);
      status.textContent = "Your rerun finished";
    }

    // A dash that says what it stands for to a screen reader.
    function dash(why) {
      var f = document.createDocumentFragment();
      f.appendChild(el("span", null, "–")).setAttribute("aria-hidden", "true");
      f.appendChild(el("span", "visually-hidden", why));
      return f;
    }

    function benchRow(row, rep, cols, multi) {
      var cls = [];
      if (row.Baseline) cls.push("bench-baseline");
      if (row.Noisy) cls.push("bench-noisy");
      if (row.Pairs) cls.push("bench-geomean");
      var tr = el("tr", cls.join(" ") || null);
      var name = el("th", null, row.Name);
      name.scope = "row";
      if (row.Pairs) { name.appendChild(document.createTextNode(" ")); name.appendChild(el("span", "bench-tag", "geomean of " + row.Pairs)); }
      tr.appendChild(name);
      if (multi) {
        var pc = el("td", "num bench-procs");
        if (row.Procs) { pc.appendChild(el("span", "bench-procs-label", "GOMAXPROCS ")); pc.appendChild(document.createTextNode(String(row.Procs))); }
        tr.appendChild(pc);
      }
      var cells = row.Cells || [];
      for (var k = 0; k < cols.length; k++) {
        var c = cells[k] || {};
        var v = el("td", "num bench-value");
        if (!c.Value) {
          v.appendChild(dash(c.Note || "not reported"));
        } else {
          v.appendChild(document.createTextNode(c.Value + " "));
          if (c.Noisy) {
            var iv = el("span", "bench-interval");
            iv.appendChild(el("span", "bench-ci bench-range", c.Interval));
            iv.appendChild(document.createTextNode(" "));
            iv.appendChild(el("span", "bench-noise", "noisy, " + c.Noisy));
            v.appendChild(iv);
          } else if (c.Interval) {
            v.appendChild(el("span", "bench-ci", c.Interval));
          } else if (c.Runs) {
            v.appendChild(el("span", "bench-few", "n=" + c.Runs + ", no interval"));
          }
        }
        tr.appendChild(v);
        if (!rep.Baseline) continue;
        var rc = el("td", "num bench-ratio" + (c.Ratio === "~" ? " bench-same" : c.Verdict ? " bench-" + c.Verdict : ""));
        if (c.Note === "baseline") {
          rc.appendChild(el("span", "bench-tag", "baseline"));
        } else if (c.Ratio === "~") {
          rc.appendChild(el("span", null, "~")).setAttribute("aria-hidden", "true");
          rc.appendChild(el("span", "visually-hidden", "no significant difference"));
        } else if (c.Ratio) {
          rc.appendChild(document.createTextNode(c.Ratio));
        } else {
          rc.appendChild(dash(c.Note || "not defined"));
        }
        if (c.P) { rc.appendChild(document.createTextNode(" ")); rc.appendChild(el("span", "bench-p", c.P)); }
        tr.appendChild(rc);
      }
      return tr;
    }
  }
})();
