package playground

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"
)

// FuzzDecodeEntry: the fast decoder of stored entries never disagrees with
// encoding/json, which defines the format. Whatever it accepts, json must
// decode to the same entry; what it refuses, the store hands to json. The
// seed corpus (testdata/fuzz/FuzzDecodeEntry) holds entries of the example
// site's results store.
func FuzzDecodeEntry(f *testing.F) {
	f.Add([]byte(`{"id":"a.md#1","inputs":{"files":{"main.go":"h"},"mode":"run"},"result":{"status":"ok","exit_code":0}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		tm := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("HANG on %q", b)) })
		defer tm.Stop()
		got, ok := decodeEntry(b)
		if !ok {
			return
		}
		var want entry
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatalf("decodeEntry accepted what encoding/json refuses (%v):\n%q", err, b)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("decodeEntry and encoding/json disagree on\n%q\nfast: %#v\njson: %#v", b, got, want)
		}
	})
}
