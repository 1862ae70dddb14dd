// benchpress serve: live reload. Loaded only by pages of a dev build.
// Listens to /_benchpress/events: reloads the page (keeping its scroll
// position), swaps stylesheets in place when only CSS changed, and shows
// an overlay while the last rebuild failed.
(function () {
  "use strict";
  var build = "__BENCHPRESS_BUILD__";
  var script = document.currentScript;
  var base = script ? script.src.replace(/_benchpress\/reload\.js.*$/, "") : "/";
  var scrollKey = "benchpress-scroll:" + location.pathname;

  // Scroll position across reloads: saved just before, restored at once
  // and again after late layout (images, fonts).
  try {
    var saved = sessionStorage.getItem(scrollKey);
    if (saved !== null) {
      sessionStorage.removeItem(scrollKey);
      var y = parseInt(saved, 10) || 0;
      if ("scrollRestoration" in history) history.scrollRestoration = "manual";
      window.scrollTo(0, y);
      window.addEventListener("load", function () { window.scrollTo(0, y); });
    }
  } catch (e) {}

  function reload() {
    try { sessionStorage.setItem(scrollKey, String(window.scrollY || window.pageYOffset || 0)); } catch (e) {}
    location.reload();
  }

  // Replace the <link rel=stylesheet> elements whose file changed with
  // fresh copies; the old one goes once the new one has loaded, so the
  // page never flashes unstyled.
  function swapCSS(paths) {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    var swapped = 0;
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin) return;
      var match = paths.some(function (p) { return url.pathname === new URL(p, base).pathname; });
      if (!match) return;
      url.searchParams.set("benchpress", String(Date.now()));
      var fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.addEventListener("load", function () { link.remove(); });
      fresh.addEventListener("error", function () { link.remove(); });
      link.after(fresh);
      swapped++;
    });
    if (swapped === 0) reload();
  }

  var overlayID = "benchpress-error-overlay";
  function clearErrors() {
    var old = document.getElementById(overlayID);
    if (old) old.remove();
  }
  function showErrors(errors, text) {
    clearErrors();
    var box = document.createElement("div");
    box.id = overlayID;
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-label", "Build failed");
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
      "background:rgba(24,24,27,.94);color:#fafafa;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;text-align:left";
    var h = document.createElement("h2");
    h.textContent = "Build failed";
    h.style.cssText = "margin:0 0 1rem;font:600 1.25rem/1.3 system-ui,sans-serif;color:#fca5a5";
    box.appendChild(h);
    (errors && errors.length ? errors : [{ msg: text || "unknown error" }]).forEach(function (e) {
      var item = document.createElement("div");
      item.className = "benchpress-error";
      item.style.cssText = "margin:0 0 1rem;white-space:pre-wrap;word-break:break-word";
      if (e.file) {
        var where = document.createElement("strong");
        where.textContent = e.file + (e.line ? ":" + e.line : "") + ": ";
        where.style.color = "#fde68a";
        item.appendChild(where);
      }
      item.appendChild(document.createTextNode(e.msg));
      box.appendChild(item);
    });
    var note = document.createElement("p");
    note.textContent = "The last good build is still served. Fix the file and save: this overlay clears by itself.";
    note.style.cssText = "margin:1.5rem 0 0;color:#a1a1aa;font-family:system-ui,sans-serif";
    box.appendChild(note);
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Dismiss";
    close.style.cssText = "margin-top:1rem;font:inherit;padding:.25rem .75rem";
    close.addEventListener("click", clearErrors);
    box.appendChild(close);
    (document.body || document.documentElement).appendChild(box);
  }

  // EventSource reconnects by itself (the server asks for 500 ms); if the
  // browser gives up (the server answered with an error), start again.
  var source;
  function connect() {
    source = new EventSource(base + "_benchpress/events");
    source.addEventListener("hello", function (e) {
      var d = JSON.parse(e.data);
      if (d.build !== build) { reload(); return; }
      if (d.errors) showErrors(d.errors, d.text); else clearErrors();
    });
    source.addEventListener("reload", function () { reload(); });
    source.addEventListener("css", function (e) {
      var d = JSON.parse(e.data);
      build = d.build;
      clearErrors();
      swapCSS(d.paths || []);
    });
    source.addEventListener("failed", function (e) {
      var d = JSON.parse(e.data);
      showErrors(d.errors, d.text);
    });
    source.addEventListener("ok", function () { clearErrors(); });
    source.onerror = function () {
      if (source.readyState === EventSource.CLOSED) {
        setTimeout(connect, 1000);
      }
    };
  }
  connect();
  // A page restored from the back/forward cache reconnects (its hello
  // reloads it if the site changed meanwhile).
  window.addEventListener("pagehide", function () { if (source) source.close(); });
  window.addEventListener("pageshow", function (e) { if (e.persisted) connect(); });
})();
