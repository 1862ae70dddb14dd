package snippet

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
)

func TestParseParams(t *testing.T) {
	tests := []struct {
		spec    string
		def     string
		names   []string
		ordered []bool
		combos  int
		key     string // the default combination's key
	}{
		{"vnodes=1,10,100,1000; nodes=3,5,10", "vnodes=10; nodes=5", []string{"vnodes", "nodes"}, []bool{true, true}, 12, "vnodes=10;nodes=5"},
		{" mode = fast , safe ;", "", []string{"mode"}, []bool{false}, 2, "mode=fast"},
		{"x=3,2,1", "x=1", []string{"x"}, []bool{false}, 3, "x=1"}, // numbers, but descending: a list
		{"rate=0.5,1e3,-2", "", []string{"rate"}, []bool{false}, 3, "rate=0.5"},
		{"t=-2,-1,0.5; max-conns=1", "max-conns=1", []string{"t", "max-conns"}, []bool{true, false}, 3, "t=-2;max-conns=1"},
		{"größe=klein,groß", "größe=groß", nil, nil, 0, ""}, // a flag name is ASCII
		{"lang=日本語,Ωμέγα", "lang=Ωμέγα", []string{"lang"}, []bool{false}, 2, "lang=Ωμέγα"},
	}
	for _, tt := range tests {
		g, err := ParseParams(tt.spec, 64)
		if tt.names == nil {
			if err == nil {
				t.Errorf("ParseParams(%q) accepted", tt.spec)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseParams(%q): %v", tt.spec, err)
			continue
		}
		if err := g.ParseDefault(tt.def); err != nil {
			t.Errorf("ParseDefault(%q): %v", tt.def, err)
			continue
		}
		var names []string
		var ordered []bool
		for _, p := range g.Params {
			names, ordered = append(names, p.Name), append(ordered, p.Ordered)
		}
		if !slices.Equal(names, tt.names) || !slices.Equal(ordered, tt.ordered) {
			t.Errorf("%q: names %v ordered %v, want %v %v", tt.spec, names, ordered, tt.names, tt.ordered)
		}
		if n := len(g.Combinations()); n != tt.combos {
			t.Errorf("%q: %d combinations, want %d", tt.spec, n, tt.combos)
		}
		if k := g.Key(g.Default); k != tt.key {
			t.Errorf("%q default %q: key %q, want %q", tt.spec, tt.def, k, tt.key)
		}
	}
}

func TestCombinationsOrder(t *testing.T) {
	g, err := ParseParams("a=1,2; b=x,y,z", 64)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, c := range g.Combinations() {
		keys = append(keys, g.Key(c))
	}
	want := []string{"a=1;b=x", "a=1;b=y", "a=1;b=z", "a=2;b=x", "a=2;b=y", "a=2;b=z"}
	if !slices.Equal(keys, want) {
		t.Errorf("combinations %v, want %v", keys, want)
	}
	if f := g.Flags([]int{1, 2}); !slices.Equal(f, []string{"-a=2", "-b=z"}) {
		t.Errorf("flags %q", f)
	}
}

var flagArgRE = regexp.MustCompile(`^-[A-Za-z][A-Za-z0-9_-]*=[^=\s,;"'\\]+$`)

// FuzzParseParams: whatever an author writes, the parser either refuses
// it or gives a grid within the cap whose every combination is one
// argument a flag per parameter, -NAME=VALUE, with nothing a shell, the
// flag package or the page's keys could split; each combination's key
// reads back through default= as itself.
func FuzzParseParams(f *testing.F) {
	for _, s := range []string{
		"vnodes=1,10,100,1000; nodes=3,5,10", "a=1;a=2", "a=-x,--help", "a= b=c", "a=1,,2", "=1", ";;;", "a=日本,Ω",
		"a=1,2,3,4,5,6,7,8,9; b=1,2,3,4,5,6,7,8,9", "a=$(x),`y`", "a=1\x00,2", "h=1", "a=1e999,NaN,Inf",
	} {
		f.Add(s, 64)
	}
	f.Fuzz(func(t *testing.T, spec string, max int) {
		if max < 1 || max > 1024 {
			max = 64
		}
		g, err := ParseParams(spec, max)
		if err != nil {
			if g != nil {
				t.Fatal("an error and a grid")
			}
			return
		}
		combos := g.Combinations()
		if len(combos) == 0 || len(combos) > max {
			t.Fatalf("%d combinations, cap %d", len(combos), max)
		}
		seen := map[string]bool{}
		for _, c := range combos {
			key := g.Key(c)
			if seen[key] {
				t.Fatalf("combination %q twice", key)
			}
			seen[key] = true
			for _, a := range g.Flags(c) {
				if !flagArgRE.MatchString(a) {
					t.Fatalf("argument %q is not one -NAME=VALUE", a)
				}
				for _, r := range a {
					if unicode.IsSpace(r) || unicode.IsControl(r) || !unicode.IsPrint(r) {
						t.Fatalf("argument %q holds %U", a, r)
					}
				}
			}
			back, err := ParseParams(spec, max)
			if err != nil {
				t.Fatal(err)
			}
			if err := back.ParseDefault(strings.ReplaceAll(key, ";", "; ")); err != nil {
				t.Fatalf("default=%q: %v", key, err)
			}
			if !slices.Equal(back.Default, c) {
				t.Fatalf("default=%q reads as %v, want %v", key, back.Default, c)
			}
		}
	})
}
