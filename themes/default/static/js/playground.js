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
      if (bench) req.Mode = "bench";
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
          } else if (bench && d.Outcome === "ok" && benchLines(d).length) {
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

    // benchLines parses benchfmt result lines: name, iterations, then
    // value-unit pairs.
    function benchLines(d) {
      var out = [], events = d.Events || [], text = "";
      for (var i = 0; i < events.length; i++) if (events[i].Kind === "stdout") text += events[i].Message;
      var lines = text.split("\n");
      for (var j = 0; j < lines.length; j++) {
        var f = lines[j].trim().split(/\s+/);
        if (!/^Benchmark/.test(f[0]) || f.length < 4 || !/^\d+$/.test(f[1])) continue;
        var m = {};
        for (var k = 2; k + 1 < f.length; k += 2) m[f[k + 1]] = parseFloat(f[k]);
        out.push({ name: f[0].replace(/^Benchmark/, ""), m: m });
      }
      out.text = text;
      return out;
    }

    function median(xs) {
      xs = xs.slice().sort(function (a, b) { return a - b; });
      var n = xs.length;
      return n % 2 ? xs[(n - 1) / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
    }

    function seconds(ns) {
      var units = [[1e9, "s"], [1e6, "m"], [1e3, "µ"], [1, "n"]];
      for (var i = 0; i < units.length; i++) {
        if (ns >= units[i][0] || i === units.length - 1) return (ns / units[i][0]).toPrecision(4).replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "") + units[i][1];
      }
    }

    function showBench(d) {
      var rows = benchLines(d), names = [], by = {};
      // go test names a benchmark Name-N when GOMAXPROCS is N > 1; one N
      // for all goes into the note instead, as the author's stamp does.
      var procs = /-(\d+)$/.exec(rows[0].name);
      for (var p = 0; procs && p < rows.length; p++) if (!new RegExp("-" + procs[1] + "$").test(rows[p].name)) procs = null;
      if (procs) for (var q = 0; q < rows.length; q++) rows[q].name = rows[q].name.slice(0, -procs[0].length);
      for (var i = 0; i < rows.length; i++) {
        if (!by[rows[i].name]) { by[rows[i].name] = []; names.push(rows[i].name); }
        by[rows[i].name].push(rows[i].m);
      }
      var box = el("div", "bench pg-bench");
      var e = d.Env || {};
      head(box, "Your rerun", "measured just now on a shared server");
      var where = [e.CPU, e.NumCPU ? e.NumCPU + " CPUs" : "", procs ? "GOMAXPROCS " + procs[1] : "", e.GoVersion,
        e.GOOS && e.GOARCH ? e.GOOS + "/" + e.GOARCH : ""].filter(Boolean).join(", ");
      box.appendChild(el("p", "pg-note", "These figures come from the playground server (" + where + ")" +
        (d.Alongside ? ", measured while " + d.Alongside + " other program" + (d.Alongside > 1 ? "s were" : " was") + " running" : "") +
        ", not from the machine the author's figures above were measured on: compare ratios within one table, not numbers across the two."));
      var scroll = el("div", "bench-scroll");
      scroll.tabIndex = 0;
      scroll.setAttribute("role", "region");
      scroll.setAttribute("aria-label", "Your rerun's results");
      var table = el("table", "bench-table");
      table.appendChild(el("caption", null, "Your rerun: median of " + by[names[0]].length + " runs per benchmark"));
      var cols = [["sec/op", "ns/op"], ["B/op", "B/op"], ["allocs/op", "allocs/op"]];
      var tr = el("tr");
      tr.appendChild(el("th", null, "Benchmark")).scope = "col";
      for (var c = 0; c < cols.length; c++) {
        var th = el("th", "num", cols[c][0]);
        th.scope = "col";
        tr.appendChild(th);
      }
      table.appendChild(el("thead")).appendChild(tr);
      var tbody = el("tbody");
      for (var n = 0; n < names.length; n++) {
        var row = el("tr");
        var rh = el("th", null, names[n]);
        rh.scope = "row";
        row.appendChild(rh);
        for (var k = 0; k < cols.length; k++) {
          var vals = [];
          for (var r = 0; r < by[names[n]].length; r++) {
            var v = by[names[n]][r][cols[k][1]];
            if (v != null && !isNaN(v)) vals.push(v);
          }
          var m = vals.length ? median(vals) : null;
          row.appendChild(el("td", "num", m == null ? "–" : k === 0 ? seconds(m) : String(Math.round(m * 1000) / 1000)));
        }
        tbody.appendChild(row);
      }
      table.appendChild(tbody);
      scroll.appendChild(table);
      box.appendChild(scroll);
      var raw = el("details", "pg-raw");
      raw.appendChild(el("summary", null, "Raw output (benchfmt)"));
      var pre = el("pre", "output-body");
      pre.tabIndex = 0;
      pre.appendChild(el("code", null, rows.text));
      raw.appendChild(pre);
      box.appendChild(raw);
      place(box);
      status.textContent = "Your rerun finished";
    }
  }
})();
