package playground

import (
	"reflect"
	"testing"
)

// TestInputsEqual checks that equal tells apart inputs differing in any
// one field, Bench's included, so a field added to Inputs cannot be
// forgotten there (a stored entry is taken on equal inputs without
// hashing them).
func TestInputsEqual(t *testing.T) {
	base := func() *Inputs {
		return &Inputs{
			Files: map[string]string{"main.go": "h1"}, Mode: ModeBench, Args: []string{"a"}, Stdin: "s",
			Bench:   &BenchOptions{Count: 6, CPU: []int{1, 2}, Benchtime: "1x", Filter: "."},
			Modules: "m", Go: "go1.26.8", Platform: "linux/amd64", Limits: "l", Sandbox: "linux", Runner: "2",
		}
	}
	if a, b := base(), base(); !a.equal(b) || a.Key() != b.Key() {
		t.Fatal("equal inputs differ")
	}
	if a, b := (&Inputs{Files: map[string]string{}}), (&Inputs{Files: map[string]string{}, Args: []string{}}); !a.equal(b) || a.Key() != b.Key() {
		t.Error("nil and empty Args differ")
	}
	// Change each field in turn, and each field of Bench.
	change := func(v reflect.Value) {
		switch v.Kind() {
		case reflect.String:
			v.SetString(v.String() + "x")
		case reflect.Int:
			v.SetInt(v.Int() + 1)
		case reflect.Slice:
			v.Set(reflect.Append(v, v.Index(0)))
		case reflect.Map:
			v.SetMapIndex(reflect.ValueOf("other.go"), reflect.ValueOf("h2"))
		case reflect.Pointer:
			v.Set(reflect.Zero(v.Type()))
		default:
			t.Fatalf("TestInputsEqual does not know how to change a %s", v.Kind())
		}
	}
	typ := reflect.TypeFor[Inputs]()
	for i := 0; i < typ.NumField(); i++ {
		a, b := base(), base()
		change(reflect.ValueOf(b).Elem().Field(i))
		if a.equal(b) || b.equal(a) {
			t.Errorf("inputs differing in %s are equal", typ.Field(i).Name)
		}
	}
	btyp := reflect.TypeFor[BenchOptions]()
	for i := 0; i < btyp.NumField(); i++ {
		a, b := base(), base()
		change(reflect.ValueOf(b.Bench).Elem().Field(i))
		if a.equal(b) || b.equal(a) {
			t.Errorf("inputs differing in Bench.%s are equal", btyp.Field(i).Name)
		}
	}
}
