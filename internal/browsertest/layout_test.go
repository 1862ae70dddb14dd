package browsertest

import (
	"fmt"
	"strings"
	"testing"
)

// The widths every page is checked at: a small phone, a tablet in
// portrait, a laptop.
var layoutWidths = []struct {
	w, h   int64
	mobile bool
}{{360, 740, true}, {768, 1024, false}, {1280, 900, false}}

// overflowJS measures the page and, when it is wider than the window,
// names the elements that reach furthest right (deepest first), so a
// failure says where to look.
const overflowJS = `(function(){
	var de = document.documentElement, w = Math.min(window.innerWidth, %d), out = [de.scrollWidth, window.innerWidth];
	if (de.scrollWidth <= w && window.innerWidth <= w) return out;
	// clipped: a scrolling box between the element and the page contains
	// it (an absolutely positioned element escapes every box up to its
	// containing block).
	var clipped = function(e){
		var pos = getComputedStyle(e).position;
		if (pos === "fixed") return false;
		var needCB = pos === "absolute";
		for (var p = e.parentElement; p && p !== document.body; p = p.parentElement) {
			var cs = getComputedStyle(p);
			if (needCB && cs.position !== "static") needCB = false;
			if (!needCB && cs.overflowX !== "visible") return true;
			if (cs.position === "absolute") needCB = true;
			if (cs.position === "fixed") return false;
		}
		return false;
	};
	var worst = [];
	document.querySelectorAll("body *").forEach(function(e){
		var r = e.getBoundingClientRect();
		if (r.right > w + 0.5 && r.width > 0 && !clipped(e)) worst.push([r.right, e]);
	});
	worst.sort(function(a, b){ return b[0] - a[0]; });
	return out.concat(worst.slice(0, 3).map(function(x){
		var e = x[1], s = e.tagName.toLowerCase() + (e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\s+/).join(".") : "");
		for (var p = e.parentElement; p && p !== document.body; p = p.parentElement) {
			if (p.id) { s = "#" + p.id + " … " + s; break; }
		}
		return s + " (right edge " + Math.round(x[0]) + " px)";
	}));
})()`

// chartJS checks every benchmark chart and plot on the page: it scales to
// its container (a viewBox, no wider than the box around it) and its
// smallest text stays legible. A benchmark chart's value ticks name their
// unit. A plot has titled axes, at least two ticks on each axis it ticks,
// each tick carrying the axis's unit (data-unit) when it has one, a legend
// entry per series when there are several, and no text outside its box.
const chartJS = `(function(){
	var out = [];
	document.querySelectorAll("svg.bench-svg, svg.plot-svg").forEach(function(svg, i){
		var what = (svg.classList.contains("plot-svg") ? "plot " : "chart ") + i;
		var vb = svg.viewBox && svg.viewBox.baseVal;
		if (!vb || !vb.width) { out.push(what + ": no viewBox"); return; }
		var box = svg.getBoundingClientRect(), parent = svg.parentElement.getBoundingClientRect();
		if (box.width > parent.width + 0.5) out.push(what + ": " + Math.round(box.width) + " px wide in a box of " + Math.round(parent.width) + " px");
		var scale = box.width / vb.width, smallest = 1e9;
		svg.querySelectorAll("text").forEach(function(t){
			smallest = Math.min(smallest, parseFloat(getComputedStyle(t).fontSize) * scale);
		});
		if (smallest < 10) out.push(what + ": text drawn at " + smallest.toFixed(1) + " px, want at least 10");
		if (svg.classList.contains("bench-svg")) {
			var ticks = svg.querySelectorAll(".bench-value-ticks text");
			if (!ticks.length) out.push(what + ": no value ticks");
			ticks.forEach(function(t){
				if (!/^-?[0-9.]+ \S+$/.test(t.textContent)) out.push(what + ": tick " + JSON.stringify(t.textContent) + " has no unit");
			});
			return;
		}
		var titles = svg.querySelectorAll(".plot-axis-title");
		if (!titles.length) out.push(what + ": no axis title");
		titles.forEach(function(t){ if (!t.textContent.trim()) out.push(what + ": an empty axis title"); });
		var axes = svg.querySelectorAll(".plot-ticks");
		if (!axes.length) out.push(what + ": no ticks");
		axes.forEach(function(g){
			var unit = g.getAttribute("data-unit"), ts = g.querySelectorAll("text");
			if (ts.length < 2) out.push(what + ": " + ts.length + " tick(s) on an axis, want at least 2");
			ts.forEach(function(t){
				// A time moves up a unit past 1000 (30000 ms reads 30 s).
				var time = /^(ns|µs|us|ms|s)$/.test(unit) && / (ns|µs|ms|s)$/.test(t.textContent);
				if (unit && t.textContent.slice(-unit.length) !== unit && !time) out.push(what + ": tick " + JSON.stringify(t.textContent) + " lacks the unit " + unit);
			});
		});
		var series = {};
		svg.querySelectorAll(".plot-series").forEach(function(g){ series[g.getAttribute("data-series")] = 1; });
		var n = Object.keys(series).length, legend = svg.querySelectorAll(".plot-legend-item").length;
		if (n > 1 && legend !== n) out.push(what + ": " + n + " series but " + legend + " legend entries");
		svg.querySelectorAll("text").forEach(function(t){
			var b = t.getBBox();
			if (b.x < -0.5 || b.x + b.width > vb.width + 0.5) out.push(what + ": text " + JSON.stringify(t.textContent) + " runs outside the chart (" + b.x.toFixed(1) + " to " + (b.x + b.width).toFixed(1) + " of " + vb.width + ")");
		});
	});
	return out;
})()`

// checkLayout checks the loaded page at every layout width in the light
// and the dark theme: nothing makes the page wider than the window, and
// every chart and plot scales and stays legible. It leaves the viewport
// and colour scheme changed. The reader's checks (readerJS) run at each
// width and scheme too.
func checkLayout(t *testing.T, tb *tab, page string) {
	t.Helper()
	for _, scheme := range []string{"light", "dark"} {
		tb.colorScheme(scheme)
		for _, lw := range layoutWidths {
			tb.viewport(lw.w, lw.h, lw.mobile)
			// A mobile browser widens its layout viewport to fit content
			// that overflows (innerWidth grows with it), so the page is
			// measured against the width asked for as well.
			m := eval[[]any](tb, fmt.Sprintf(overflowJS, lw.w))
			if sw, w := m[0].(float64), m[1].(float64); sw > w || w > float64(lw.w) {
				var where []string
				for _, x := range m[2:] {
					where = append(where, fmt.Sprint(x))
				}
				t.Errorf("%s at %d px, %s: the page is %.0f px wide (window %.0f px), scrolls sideways; widest: %s", page, lw.w, scheme, sw, w, strings.Join(where, "; "))
			}
			for _, p := range eval[[]string](tb, chartJS) {
				t.Errorf("%s at %d px, %s: %s", page, lw.w, scheme, p)
			}
			checkReader(t, tb, page, lw.w, scheme)
		}
	}
}
