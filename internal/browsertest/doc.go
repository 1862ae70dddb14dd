// Package browsertest checks the default theme in a real browser: it builds
// a site, serves it from 127.0.0.1 and drives Debian's headless Chromium
// through chromedp. The tests live in _test.go files; this package has no
// API.
//
// What the suite checks, on the example site in content/ when it builds and
// otherwise (or with BENCHPRESS_TEST_SITE=fixture) on testdata/site.txtar:
//
//   - every page loads with no console error, no failed request and no
//     request leaving 127.0.0.1, and is no wider than the window at 360,
//     768 and 1280 px in the light and the dark theme (layout_test.go);
//   - every benchmark chart and plot scales to its box (viewBox), its text
//     stays at least 10 px and its ticks carry their unit; a plot's axes are
//     titled, its legend has an entry per series and no text leaves its box;
//   - on every page with a plot, its data tables opened: the layout checks,
//     axe, every row in the table, and the CSV download served;
//   - an explorable block's slider and select, moved by keyboard, show the
//     real run of the combination picked (from the page or its JSON file),
//     announced, a plot's axis fixed, at 360 and 1280 px in both themes,
//     axe clean; without JavaScript the default run (explore_test.go);
//   - on every page at each width and theme, what a reader meets
//     (reader_test.go): program output keeps its lines and scrolls with
//     edge shadows, author diagrams draw text at 10.5 px or more, the
//     footer lines up with the text column, paragraphs run 60 to 75
//     characters a line, times read "313 ms" and ticks "30 s", benchmark
//     glossaries are folded, the Copy button covers no code on touch
//     screens; every post printed from a system in dark mode is black on
//     white with @page margins and charts, outputs and headings kept
//     whole; on wide screens figures may be wider than the column, never
//     than the window;
//   - the theme toggle switches the theme and the choice survives a reload;
//   - the copy button puts the code on the clipboard, and on a live block
//     the complete program;
//   - table-of-contents links scroll to their headings;
//   - the offline search box finds posts; every word of every post's prose
//     finds its post through the theme's script, whose tokenizer agrees
//     with generator/search's; a typed phrase shows its post, a quoted
//     phrase is found however late in a long post and never where its words
//     are apart, and a first query fetches only part of the split index
//     (search_test.go; and, on a generated 1,000-post site, how long a
//     query takes and how large the index is per post);
//   - every page has at most one render-blocking stylesheet, and the
//     inlined highlighting CSS only where there is code (paint_test.go;
//     make firstpaint measures the first paint itself);
//   - axe-core reports no violations on any page (404 included), in the
//     light theme at 1280 px and the dark theme at 360 px;
//   - the Nu HTML Checker (vnu.jar) reports no error on any page.
//
// Screenshots of home and a post (light, dark, 360 px), and of the post's
// benchmark report at 360 px (bench-mobile-light/dark.png), are written to
// screenshots/ at the repository root (BENCHPRESS_SCREENSHOTS overrides it).
//
// Chromium, java, axe-core and vnu-jar come from `make deps`
// (scripts/test-deps.sh). Without them the tests skip, except when CI is
// set: then a missing tool is a failure. Under -short they skip.
package browsertest
