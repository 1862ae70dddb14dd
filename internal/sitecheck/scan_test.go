package sitecheck

import (
	"reflect"
	"testing"
)

func TestSrcsetURLs(t *testing.T) {
	for in, want := range map[string][]string{
		"a.png":                                    {"a.png"},
		"a.png 1x, b.png 2x":                       {"a.png", "b.png"},
		" a.png, b.png 2x ,c.png":                  {"a.png", "b.png", "c.png"},
		"a.png,b.png":                              {"a.png,b.png"}, // a URL ends at whitespace only
		"data:image/png;base64,AA= 1x, b":          {"data:image/png;base64,AA=", "b"},
		"a.png (max-width: 1px, 2px) 1x, b.png 2x": {"a.png", "b.png"},
		"": nil,
	} {
		if got := srcsetURLs(in); !reflect.DeepEqual(got, want) {
			t.Errorf("srcsetURLs(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRefreshURL(t *testing.T) {
	for in, want := range map[string]string{
		"0; url=https://example.org/x/": "https://example.org/x/",
		"0;URL='/x/'":                   "/x/",
		`5, url = "/y/"`:                "/y/",
		"0; /z/":                        "/z/",
		"30":                            "",
		"":                              "",
	} {
		got, ok := refreshURL(in)
		if got != want || ok != (want != "") {
			t.Errorf("refreshURL(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestCSSRefs(t *testing.T) {
	css := `/* url(/commented.png) */
@import "a.css";
@import url(b.css) screen;
.x { background: URL( "c.png" ) ; content: "url(/in-a-string.png)"; }
.y { mask: url(d.svg#m); background-image: image-set(url('e\'.png') 1x); }
.z { --my-url(x): 0; }`
	want := []cssRef{{"@import", "a.css"}, {"url()", "b.css"}, {"url()", "c.png"}, {"url()", "d.svg#m"}, {"url()", "e'.png"}}
	if got := cssRefs(css); !reflect.DeepEqual(got, want) {
		t.Errorf("cssRefs = %q\nwant %q", got, want)
	}
}
