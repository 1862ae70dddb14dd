package browsertest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/benchpress/benchpress/generator/search"
	"github.com/benchpress/benchpress/internal/testdeadline"
)

// TestSearch checks the split search index through the theme's own
// script: every word of every post's prose finds its post, the script's
// tokenizer agrees with generator/search's on hostile text, typing a
// phrase shows the post that has it, a quoted phrase is found however
// late in a long post and only where its words are side by side, and a
// first query downloads only part of the index (the figure is logged).
func TestSearch(t *testing.T) {
	skipShort(t)
	bctx := startBrowser(t)
	dir, name := siteUnderTest(t)
	base := serve(t, dir)
	sp := pickPages(t, dir)

	t.Run("every word of every post", func(t *testing.T) {
		tb := newTab(t, bctx, base)
		tb.open("/")
		var posts []string
		for _, p := range sp.all {
			b, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p), "index.html"))
			if strings.Contains(string(b), `class="kind-post"`) {
				posts = append(posts, p)
			}
		}
		if len(posts) == 0 {
			t.Fatal("no posts")
		}
		total := 0
		for _, p := range posts {
			// The words as the reader sees them in the prose: the post's
			// body without code blocks, program output, raw HTML figures,
			// math (formulas are not prose: the index leaves them out, and
			// a MathML element's text runs its symbols and TeX source
			// together) and the heading anchors' "#".
			b, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p), "index.html"))
			res := eval[[]string](tb, fmt.Sprintf(`(async function(){
				var doc = new DOMParser().parseFromString(%q, "text/html");
				var body = doc.querySelector(".post-body");
				body.querySelectorAll("pre, figure, svg, math, .live, script, style, template, .anchor, .footnote-backref, .footnote-ref").forEach(function(e){ e.remove(); });
				var words = Array.from(new Set(window.benchpressSearch.tokens(body.textContent + " " + doc.querySelector("h1").textContent)));
				var missing = [];
				for (var w of words) {
					var hits = await window.benchpressSearch.search(w);
					if (!hits.some(function(h){ return h.u === %q; })) missing.push(w);
				}
				return [String(words.length)].concat(missing);
			})()`, string(b), p))
			n := 0
			fmt.Sscan(res[0], &n)
			total += n
			if n < 200 {
				t.Errorf("%s: only %d distinct words found in its prose: the test is not reading it", p, n)
			}
			if len(res) > 1 {
				t.Errorf("%s: %d of its %d words do not find it: %q", p, len(res)-1, n, res[1:min(len(res), 30)])
			}
		}
		t.Logf("%d distinct words of %d posts, each found", total, len(posts))
	})

	t.Run("a phrase late in a long post", func(t *testing.T) {
		// A site of its own: in "long", each word of "consistent hashing"
		// 600 times apart first, then the phrase 200 times from word 2,400
		// on; "other" has both words more often, always the other way
		// round. Neither title holds them.
		root := t.TempDir()
		var long, other strings.Builder
		long.WriteString("---\ntitle: Ring notes\ndate: 2026-01-02\n---\n")
		for i := 0; i < 600; i++ {
			fmt.Fprintf(&long, "Consistent ring%d, hashing node%d.\n\n", i%40, i%60)
		}
		for i := 0; i < 200; i++ {
			fmt.Fprintf(&long, "So the consistent hashing ring%d moves keys.\n\n", i)
		}
		other.WriteString("---\ntitle: Other notes\ndate: 2026-01-03\n---\n")
		for i := 0; i < 2000; i++ {
			other.WriteString("Hashing, consistent: the ring.\n\n")
		}
		markup := `<img src=x onerror="window.pwned=1"> & <b>bold</b>`
		for name, data := range map[string]string{
			"config.yaml":             "title: Phrases\nbaseURL: https://phrases.example.org/\n",
			"content/posts/long.md":   long.String(),
			"content/posts/other.md":  other.String(),
			"content/posts/markup.md": fmt.Sprintf("---\ntitle: %q\nsubtitle: %q\ndate: 2026-01-04\n---\nMarkup in a title.\n", markup, markup),
		} {
			p := filepath.Join(root, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		tb := newTab(t, bctx, serve(t, buildDir(t, root, fakeRunner{})))
		tb.open("/")
		for _, tc := range []struct{ q, want string }{
			{`"consistent hashing"`, "/posts/long/"},
			{`"the consistent hashing moves"`, ""}, // a ring number between
			{`"so the consistent hashing ring199 moves keys"`, "/posts/long/"},
			{`"hashing consistent"`, "/posts/other/"},
			{`"ring node"`, ""},                                  // both in both posts, never side by side
			{`"hashing node0 consistent"`, "/posts/long/"},       // across paragraphs
			{`consistent hashing`, "/posts/long/ /posts/other/"}, // the phrase ranks first
			{`hashing consistent`, "/posts/other/ /posts/long/"},
		} {
			got := eval[[]string](tb, fmt.Sprintf(`window.benchpressSearch.search(%q).then(h => h.map(x => x.u))`, tc.q))
			if strings.Join(got, " ") != tc.want {
				t.Errorf("searching %s finds %q, want %q", tc.q, got, tc.want)
			}
		}
		// A title and subtitle that look like markup are shown as text, in
		// the box and on the archive page.
		tb.do(chromedp.SendKeys(chromedp.ID("search-input"), "markup"))
		shown, err := chromedp.Run(tb.step(), chromedp.Poll[string](`(function(){var a=document.querySelector("#search-results a");return a?a.textContent:null})()`, chromedp.WithPollingTimeout(testdeadline.Scale(10*time.Second))))
		if want := markup + "2026-01-04 · " + markup; err != nil || shown != want {
			t.Errorf("typing markup shows %q (%v), want %q", shown, err, want)
		}
		tb.open("/archive/?q=markup")
		heading, err := chromedp.Run(tb.step(), chromedp.Poll[string](`(function(){var h=document.querySelector("#search-page h2");return h?h.textContent:null})()`, chromedp.WithPollingTimeout(testdeadline.Scale(10*time.Second))))
		if want := "1 result for “markup”"; err != nil || heading != want {
			t.Errorf("the archive page's heading for ?q=markup is %q (%v), want %q", heading, err, want)
		}
		if got := eval[string](tb, `document.querySelector("#search-page a").textContent + "|" + document.querySelectorAll("#search-page img, #search-page b, #search-results img").length + "|" + window.pwned`); got != markup+"|0|undefined" {
			t.Errorf("the archive page shows the title as %q, want it as text and no element made of it", got)
		}
		for _, p := range tb.take() {
			t.Error(p)
		}
	})

	t.Run("tokenizer agrees with Go's", func(t *testing.T) {
		tb := newTab(t, bctx, base)
		tb.open("/")
		texts := []string{
			"Thundering herd, p99 and SipHash-2-4: erlang's",
			"ΟΔΟΣ Straße İstanbul ǅemal ﬁne",
			"日本語のテキスト、カタカナ and 中文",
			"cafe\u0301 café e\u0301",
			"I\u0307\u0300 \u0130\u0300 \u00ec", // lower case makes them composable
			"../../etc/passwd C:\\Windows\\con.json aux nul.txt %2e%2e/",
			"emoji 😀 in📦side 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ①②③ ½ ٣٤ x²",
			strings.Repeat("a", 100) + " " + strings.Repeat("é", 70),
			"tab\tnew\nline\u00a0nbsp\u200bzero-width\u2028sep",
		}
		for _, s := range texts {
			want := search.Tokens(s)
			got := eval[[]string](tb, fmt.Sprintf(`window.benchpressSearch.tokens(%q)`, s))
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("tokens of %q:\n  site.js %q\n  Go      %q", s, got, want)
			}
		}
	})

	t.Run("a phrase typed into the box", func(t *testing.T) {
		if !strings.Contains(name, "example") {
			t.Skip("the phrase is the example site's")
		}
		tb := newTab(t, bctx, base)
		// What a first query costs: every search/ file fetched, as encoded
		// on the wire (uncompressed here).
		fetched := func() []float64 {
			return eval[[]float64](tb, `(function(){var n=0,b=0;performance.getEntriesByType("resource").forEach(function(e){if(e.name.indexOf("/search/")>=0){n++;b+=e.encodedBodySize;}});return [n,b];})()`)
		}
		var all int64
		entries, _ := os.ReadDir(filepath.Join(dir, "search"))
		for _, e := range entries {
			if fi, err := e.Info(); err == nil {
				all += fi.Size()
			}
		}
		tb.open("/")
		eval[[]string](tb, `window.benchpressSearch.search("thundering herd").then(h => h.map(x => x.u))`)
		one := fetched()
		t.Logf("one query %q fetched %.0f files, %.0f bytes of the index's %d", "thundering herd", one[0], one[1], all)
		if one[1] <= 0 || int64(one[1]) > all/4 {
			t.Errorf("one query fetched %.0f of the index's %d bytes: want a small part of it", one[1], all)
		}
		tb.open("/")
		tb.do(chromedp.SendKeys(chromedp.ID("search-input"), "thundering herd"))
		hrefs, err := chromedp.Run(tb.step(), chromedp.Poll[[]string](`(function(){var l=document.querySelectorAll("#search-results a");return l.length?Array.from(l).map(a=>a.getAttribute("href")):null})()`, chromedp.WithPollingTimeout(testdeadline.Scale(10*time.Second))))
		if err != nil {
			t.Fatalf("typing thundering herd showed no results: %v", err)
		}
		if hrefs[0] != "/posts/consistent-hashing/" {
			t.Errorf("typing thundering herd: results %v, want /posts/consistent-hashing/ first", hrefs)
		}
		typed := fetched()
		t.Logf("typing it key by key fetched %.0f files, %.0f bytes", typed[0], typed[1])
		if int64(typed[1]) > all/2 {
			t.Errorf("typing one query fetched %.0f of the index's %d bytes: want a part of it", typed[1], all)
		}
		for _, q := range []string{"erlang", "p99", "siphash", `"thundering herd"`} {
			hits := eval[[]string](tb, fmt.Sprintf(`window.benchpressSearch.search(%q).then(h => h.map(x => x.u))`, q))
			if len(hits) == 0 {
				t.Errorf("searching %s finds nothing", q)
			}
		}
		if hits := eval[[]string](tb, `window.benchpressSearch.search('"herd thundering"').then(h => h.map(x => x.u))`); len(hits) != 0 {
			t.Errorf(`the quoted phrase "herd thundering" (words in the wrong order) finds %v`, hits)
		}
		for _, p := range tb.take() {
			t.Error(p)
		}
	})
}
