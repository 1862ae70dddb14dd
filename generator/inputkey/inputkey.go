// Package inputkey hashes what a template can read of a post: every
// field (Post), or the fields a page kind's templates name (Fields). serve's
// Builder keys each page on such hashes and keeps the page's bytes while
// its key does not change. Reflection keeps the hashes right when Post
// grows a field.
package inputkey

import (
	"encoding/binary"
	"hash/maphash"
	"html/template"
	"math"
	"reflect"
	"sort"
	"time"

	"github.com/benchpress/benchpress/generator/content"
	"github.com/benchpress/benchpress/generator/theme"
)

// Post hashes every exported field of p a template can read, except the
// links to other posts (the Builder hashes where they lead) and the raw
// markdown (html, its HTML, stands for it). Reflection keeps it right when
// Post grows a field.
func Post(seed maphash.Seed, p *content.Post, html template.HTML) uint64 {
	h := fields(seed, p, func(name string) bool { return !notHashed[name] })
	h.WriteString(string(html))
	return h.Sum64()
}

// notHashed are the fields Post leaves out.
var notHashed = map[string]bool{"Prev": true, "Next": true, "SeriesPosts": true, "SeriesNumber": true, "Body": true}

// Fields hashes the exported fields of p that names holds, except the links
// to other posts (theme.LinkFields).
func Fields(seed maphash.Seed, p *content.Post, names map[string]bool) uint64 {
	return fields(seed, p, func(name string) bool { return names[name] && !theme.LinkFields[name] }).Sum64()
}

// fields hashes the name and value of each exported field of p that keep
// takes.
func fields(seed maphash.Seed, p *content.Post, keep func(string) bool) *maphash.Hash {
	h := new(maphash.Hash)
	h.SetSeed(seed)
	v := reflect.ValueOf(p).Elem()
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		if f := t.Field(i); f.IsExported() && keep(f.Name) {
			h.WriteString(f.Name)
			hashValue(h, v.Field(i), 0)
		}
	}
	return h
}

// Uint writes each of vs to h, eight bytes little-endian.
func Uint(h *maphash.Hash, vs ...uint64) {
	var buf [8]byte
	for _, v := range vs {
		binary.LittleEndian.PutUint64(buf[:], v)
		h.Write(buf[:])
	}
}

var timeType = reflect.TypeOf(time.Time{})

// hashValue writes v to h: its exported fields, elements, keys and values
// in a fixed order, down to depth 8.
func hashValue(h *maphash.Hash, v reflect.Value, depth int) {
	if depth > 8 {
		return
	}
	if v.Type() == timeType {
		t := v.Interface().(time.Time)
		h.WriteString(t.Format(time.RFC3339Nano))
		return
	}
	switch v.Kind() {
	case reflect.String:
		Uint(h, uint64(v.Len()))
		h.WriteString(v.String())
	case reflect.Bool:
		if v.Bool() {
			h.WriteByte(1)
		} else {
			h.WriteByte(0)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		Uint(h, uint64(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		Uint(h, v.Uint())
	case reflect.Float32, reflect.Float64:
		Uint(h, math.Float64bits(v.Float()))
	case reflect.Slice, reflect.Array:
		Uint(h, uint64(v.Len()))
		for i := 0; i < v.Len(); i++ {
			hashValue(h, v.Index(i), depth+1)
		}
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		Uint(h, uint64(len(keys)))
		for _, k := range keys {
			hashValue(h, k, depth+1)
			hashValue(h, v.MapIndex(k), depth+1)
		}
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			h.WriteByte(0)
			return
		}
		h.WriteByte(1)
		hashValue(h, v.Elem(), depth+1)
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			if t.Field(i).IsExported() {
				hashValue(h, v.Field(i), depth+1)
			}
		}
	}
}
