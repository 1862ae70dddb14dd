// explore.js: the controls of explorable blocks (a go run fence with
// params=, see generator/snippet/explore.go). Every state is a real run
// made when the site was built; its HTML is in the page (<template
// data-state>) or, for a large grid, in one JSON file beside the page
// (data-states), fetched when the reader first reaches a control. Moving a
// control swaps in that state's output or plot and says which is shown in
// the live region, with its status. Without this script the page shows the
// default run and a caption naming it.
(function () {
  "use strict";

  function init(root) {
    var controls = root.querySelector(".explore-controls");
    var shown = root.querySelector(".explore-shown");
    var box = root.querySelector(".explore-state");
    if (!controls || !shown || !box) return;
    var inputs = Array.prototype.slice.call(controls.querySelectorAll("[data-param]"));
    var total = 1;
    inputs.forEach(function (inp) {
      total *= inp.tagName === "SELECT" ? inp.options.length : inp.getAttribute("data-values").split(",").length;
    });
    var states = {}; // key -> a <template> or an HTML string
    states[box.getAttribute("data-state")] = box.innerHTML;
    root.querySelectorAll("template[data-state]").forEach(function (t) {
      states[t.getAttribute("data-state")] = t;
    });
    var file = root.getAttribute("data-states");
    var loading = null;

    function load() {
      if (!file) return Promise.resolve();
      if (!loading) {
        loading = fetch(file).then(function (r) {
          if (!r.ok) throw new Error("HTTP " + r.status + " for " + file);
          return r.json();
        }).then(function (j) {
          Object.keys(j.states || {}).forEach(function (k) { states[k] = j.states[k]; });
        });
        // A failed load may be retried on the next move.
        loading.catch(function () { loading = null; });
      }
      return loading;
    }

    function valueOf(inp) {
      if (inp.tagName === "SELECT") return inp.value;
      return inp.getAttribute("data-values").split(",")[Number(inp.value)];
    }

    function key() {
      return inputs.map(function (inp) { return inp.getAttribute("data-param") + "=" + valueOf(inp); }).join(";");
    }

    var seq = 0;
    function show() {
      inputs.forEach(function (inp) {
        if (inp.tagName === "SELECT") return;
        var v = valueOf(inp);
        inp.setAttribute("aria-valuetext", v);
        var out = inp.parentNode.querySelector("output");
        if (out) out.textContent = v;
      });
      var k = key(), my = ++seq;
      var ready = states[k] ? Promise.resolve() : load();
      ready.then(function () {
        if (my !== seq) return; // a later move won
        var s = states[k];
        if (!s) throw new Error("no run for " + k);
        if (typeof s === "string") box.innerHTML = s;
        else box.replaceChildren(s.content.cloneNode(true));
        box.setAttribute("data-state", k);
        var status = box.querySelector(".output-status");
        shown.textContent = "Run with " + k.split(";").join(", ") + " (1 of " + total + " runs made when the site was built)" +
          (status ? ": " + status.textContent : "");
      }).catch(function (e) {
        if (my !== seq) return;
        shown.textContent = "Could not show the run with " + k.split(";").join(", ") + " (" + e.message + "); still showing " +
          box.getAttribute("data-state").split(";").join(", ");
      });
    }

    inputs.forEach(function (inp) { inp.addEventListener("input", show); });
    // The data file loads on first use: when a control is reached.
    controls.addEventListener("focusin", load, { once: true });
    controls.addEventListener("pointerdown", load, { once: true });
    controls.hidden = false;
  }

  document.querySelectorAll("[data-explore]").forEach(init);
})();
