package browsertest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// readerJS checks, on the loaded page at the current width and theme (two
// frames after a resize, once the page's resize observers ran), what
// issue 30 found a reader meets, and returns what is wrong:
//
//   - program output keeps its lines (white-space: pre; a compiler's
//     messages, which are prose, may wrap), and output wider than its box
//     scrolls sideways with the edge shadows and from the keyboard, and
//     so do code and displayed math;
//   - an author's SVG diagram or a d2 diagram sits in its figure and
//     draws its text at 10.5 px or more, and when that makes it wider
//     than the column its figure scrolls, with the shadows;
//   - from 768 px the footer starts where the text column starts, and
//     paragraphs run 60 to 75 characters a line;
//   - a run's time is "313 ms", with a space; no chart or plot tick reads
//     "30000 ms" (it reads 30 s);
//   - a benchmark report's glossary is folded;
//   - without hover (a touch screen) the Copy button covers no code, and
//     every control, and every link in a list or a line of links, is at
//     least 24 px tall (controls also wide).
const readerJS = `new Promise(function(done){ requestAnimationFrame(function(){ requestAnimationFrame(function(){ done(check(%d)); }); }); function check(w){
	var out = [];
	var cue = function(e){ return /gradient/.test(getComputedStyle(e).backgroundImage); };
	document.querySelectorAll(".output-body").forEach(function(pre, i){
		var box = pre.closest(".output");
		if (!box) return;
		var cs = getComputedStyle(pre), what = "output " + (box.parentElement.id || i);
		if (!box.classList.contains("output-compile-error") && cs.whiteSpace !== "pre") out.push(what + ": white-space " + cs.whiteSpace + ", want pre: lines keep their columns");
		if (pre.scrollWidth > pre.clientWidth + 1) {
			if (cs.overflowX !== "auto" && cs.overflowX !== "scroll") out.push(what + ": wider than its box and overflow-x " + cs.overflowX);
			if (!cue(pre)) out.push(what + ": scrolls sideways with no edge shadow");
			if (pre.tabIndex < 0) out.push(what + ": scrolls sideways but the keyboard cannot reach it");
		}
	});
	// Every drawing in the prose but the build's charts: a hand-written
	// SVG outside a figure is not fitted by site.js and shrank to 5 px
	// text on a phone.
	document.querySelectorAll(".prose svg[viewBox]:not(.bench-svg):not(.plot-svg)").forEach(function(svg, i){
		if (svg.parentElement.closest("svg")) return;
		var title = svg.querySelector("title"), what = "diagram " + (title ? JSON.stringify(title.textContent) : i);
		var fig = svg.parentElement;
		if (!fig.matches("figure, .diagram-svg")) { out.push(what + ": not in a <figure>, so it cannot scroll at a readable size"); return; }
		var vb = svg.viewBox.baseVal, scale = svg.getBoundingClientRect().width / vb.width, smallest = 1e9;
		svg.querySelectorAll("text").forEach(function(t){ smallest = Math.min(smallest, parseFloat(getComputedStyle(t).fontSize) * scale); });
		if (smallest < 10.5) out.push(what + ": text drawn at " + smallest.toFixed(1) + " px, want at least 10.5 (let it scroll)");
		if (fig.scrollWidth > fig.clientWidth + 1 && (!cue(fig) || fig.tabIndex < 0)) out.push(what + ": scrolls sideways without an edge shadow or keyboard access");
	});
	// Code scrolls sideways as output does, but its background is the
	// highlighting style's: its cue is an inset shadow (style.css).
	document.querySelectorAll(".prose pre:not(.output-body)").forEach(function(pre, i){
		if (pre.closest("details:not([open])") || pre.scrollWidth <= pre.clientWidth + 1) return; // folded away, or fits
		var what = "code block " + i + " (" + JSON.stringify(pre.textContent.trim().split("\n")[0].slice(0, 40)) + ")";
		if (!/[1-9]/.test(getComputedStyle(pre).boxShadow.replace(/rgba?\([^)]*\)/g, ""))) out.push(what + ": scrolls sideways with no edge shadow");
		if (pre.tabIndex < 0) out.push(what + ": scrolls sideways but the keyboard cannot reach it");
	});
	document.querySelectorAll(".math-display").forEach(function(m, i){
		if (m.scrollWidth > m.clientWidth + 1 && (!cue(m) || m.tabIndex < 0)) out.push("displayed formula " + i + ": scrolls sideways without an edge shadow or keyboard access");
	});
	var prose = document.querySelector(".prose"), foot = document.querySelector(".site-footer p");
	if (prose && foot && w >= 768) {
		var a = prose.getBoundingClientRect().left, b = foot.getBoundingClientRect().left;
		if (Math.abs(a - b) > 1) out.push("the footer starts at " + b.toFixed(0) + " px, the text column at " + a.toFixed(0) + " px");
	}
	if (prose && w >= 768) {
		// Characters a line over the paragraphs of four lines or more,
		// their last (short) lines counted as half a line.
		var chars = 0, lines = 0;
		prose.querySelectorAll(":scope > p").forEach(function(p){
			var n = Math.round(p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight));
			if (n >= 4) { chars += p.textContent.length; lines += n - 0.5; }
		});
		if (lines) {
			var perLine = chars / lines;
			if (perLine < 60 || perLine > 75) out.push("paragraphs run " + perLine.toFixed(0) + " characters a line, want 60 to 75");
		}
	}
	document.querySelectorAll(".output-status").forEach(function(s){
		if (/\d(µs|ms|s)\b/.test(s.textContent)) out.push("run time " + JSON.stringify(s.textContent) + ": want a space before the unit, as the charts write it");
	});
	document.querySelectorAll("svg.plot-svg text, svg.bench-svg text").forEach(function(t){
		if (/(^|[^\d.])\d{4,}(\.\d+)? ?(ns|µs|us|ms)\b/.test(t.textContent)) out.push("chart text " + JSON.stringify(t.textContent) + ": write it in the next unit up");
	});
	document.querySelectorAll(".bench").forEach(function(b, i){
		var legend = b.querySelector(".bench-legend"), d = legend && legend.closest("details.bench-glossary");
		if (legend && (!d || d.open)) out.push("benchmark report " + i + ": its glossary is not folded");
	});
	if (matchMedia("(hover: none)").matches) {
		// A finger needs 24 px (WCAG 2.5.8): controls both ways; a link
		// outside running text in height (its width is its word's).
		document.querySelectorAll("button, summary, input, select, :is(.site-nav, .toc, .tag-cloud, .meta, .site-footer, .archive-list, .series, .read-more, .pagination, .prev-next, .plot-download) a").forEach(function(e){
			var r = e.getBoundingClientRect();
			if (r.width <= 1 || r.height <= 1 || e.closest("details:not([open]) > :not(summary)")) return; // not shown, or read aloud only
			var link = e.tagName === "A";
			if (r.height < 23.5 || (!link && r.width < 23.5)) out.push("tap target " + e.tagName.toLowerCase() + " " + JSON.stringify((e.textContent || e.getAttribute("aria-label") || e.name || "").trim().slice(0, 30)) + " is " + r.width.toFixed(0) + "x" + r.height.toFixed(0) + " px, want at least 24 px");
		});
		document.querySelectorAll(".code-block").forEach(function(cb, i){
			var btn = cb.querySelector(".copy-button"), pre = cb.querySelector("pre");
			if (!btn || !pre) return;
			var top = pre.getBoundingClientRect().top + parseFloat(getComputedStyle(pre).paddingTop) + pre.clientTop;
			if (btn.getBoundingClientRect().bottom > top + 0.5) out.push("code block " + i + ": on a touch screen the Copy button covers the first line");
		});
	}
	return out;
}})`

// checkReader runs readerJS on the loaded page.
func checkReader(t *testing.T, tb *tab, page string, width int64, scheme string) {
	t.Helper()
	for _, p := range eval[[]string](tb, fmt.Sprintf(readerJS, width)) {
		t.Errorf("%s at %d px, %s: %s", page, width, scheme, p)
	}
}

// printJS checks a page under print media: black text on white, links
// black, every chart and plot text dark, charts, outputs and figures kept
// whole, headings and block labels kept with what follows, page margins
// set, and the glossary shown.
const printJS = `(function(){
	var out = [];
	var lum = function(c){
		var m = c.match(/[\d.]+/g); if (!m) return 1;
		var f = function(v){ v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
		return 0.2126 * f(+m[0]) + 0.7152 * f(+m[1]) + 0.0722 * f(+m[2]);
	};
	var bs = getComputedStyle(document.body);
	if (lum(bs.backgroundColor) < 0.99) out.push("the page is printed on " + bs.backgroundColor + ", want white");
	if (lum(bs.color) > 0.01) out.push("text is printed in " + bs.color + ", want black");
	document.querySelectorAll(".prose a").forEach(function(a){
		var c = getComputedStyle(a).color;
		if (lum(c) > 0.05) out.push("link " + JSON.stringify(a.textContent.slice(0, 30)) + " printed in " + c);
	});
	document.querySelectorAll("svg.bench-svg text, svg.plot-svg text").forEach(function(t){
		var c = getComputedStyle(t).fill;
		if (c !== "none" && lum(c) > 0.1) out.push("chart text " + JSON.stringify(t.textContent) + " printed in " + c + ": too pale on paper");
	});
	document.querySelectorAll(".bench-chart, .plot, .output, .prose figure, .prose pre").forEach(function(e){
		if (getComputedStyle(e).breakInside !== "avoid") out.push(e.className + " may break across pages");
	});
	document.querySelectorAll(".prose h2, .prose h3, .output-head, .plot-title").forEach(function(e){
		if (getComputedStyle(e).breakAfter !== "avoid") out.push(e.tagName + " " + JSON.stringify(e.textContent.slice(0, 30)) + " may be left alone at a page's foot");
	});
	var page = false;
	Array.prototype.forEach.call(document.styleSheets, function(s){
		try { Array.prototype.forEach.call(s.cssRules, function(r){
			if (r.type === CSSRule.PAGE_RULE && r.style.marginTop) page = true;
		}); } catch (e) {}
	});
	if (!page) out.push("no @page rule sets the margins");
	document.querySelectorAll(".bench-legend").forEach(function(l, i){
		if (!l.getClientRects().length) out.push("benchmark glossary " + i + " is not printed");
	});
	return out;
})()`

// checkPrint emulates printing with the system in dark mode (the case where
// print.css lost to the dark theme's rules) and checks the page.
func checkPrint(t *testing.T, tb *tab, page string) {
	t.Helper()
	if _, err := chromedp.Call(tb.step(), emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Media:    "print",
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}},
	}); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if _, err := chromedp.Call(tb.step(), emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "light"}},
		}); err != nil {
			t.Fatal(err)
		}
	}()
	for _, theme := range []string{"", "dark"} {
		eval[chromedp.Void](tb, `(function(t){ if (t) document.documentElement.dataset.theme = t; else delete document.documentElement.dataset.theme; })("`+theme+`")`)
		for _, p := range eval[[]string](tb, printJS) {
			label := "dark system"
			if theme != "" {
				label += ", dark theme chosen"
			}
			t.Errorf("%s printed (%s): %s", page, label, p)
		}
	}
	eval[chromedp.Void](tb, `delete document.documentElement.dataset.theme`)
}

// wideJS reports, at a wide window, whether a figure or live block of the
// post is wider than its text column (as Distill's figures are), and
// whether any of them reaches past the window.
const wideJS = `(function(){
	var prose = document.querySelector(".prose").getBoundingClientRect(), wider = 0, past = [];
	document.querySelectorAll(".prose > figure, .prose > .live, .prose > .table-scroll").forEach(function(e){
		var r = e.getBoundingClientRect();
		if (r.width > prose.width + 20) wider++;
		if (r.right > window.innerWidth || r.left < 0) past.push((e.id || e.className) + " from " + r.left.toFixed(0) + " to " + r.right.toFixed(0));
	});
	return [wider, past.join("; ")];
})()`

// postPages picks the posts (not lists, tags or pages) of a site's pages.
func postPages(all []string) []string {
	var posts []string
	for _, p := range all {
		if strings.HasPrefix(p, "/posts/") && strings.Count(p, "/") == 3 {
			posts = append(posts, p)
		}
	}
	return posts
}
