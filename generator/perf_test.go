package generator

import (
	"regexp"
	"testing"
)

// TestHasLiveFence checks the byte scan against the regexp it replaced.
func TestHasLiveFence(t *testing.T) {
	re := regexp.MustCompile("(?m)^[ \t]*(```+|~~~+)[ \t]*go[ \t]+(run|bench)\\b")
	for _, body := range []string{
		"", "```", "```go run", "```go run\n", "x\n```go run name=a\n", "x```go run\n", "  ```go run", "\t~~~~ go\trun",
		"```go runner", "```go run_x", "```go run-x", "```go bench", "```go benchx", "```gorun", "```go", "```go ",
		"```go\nrun", "~~~go bench count=1", "``` go  run", "``~```go run", "```~~~go run", "~~~\n```go run", "a\n ```go run\n",
		"```go runé", "```Go run", "````go run", "text ```go run\n```go bench", "~~```go run", "\n\n```go run",
		"```go\t\trun", "```python run", "```go run\x00",
	} {
		if got, want := hasLiveFence([]byte(body)), re.MatchString(body); got != want {
			t.Errorf("hasLiveFence(%q) = %v, regexp says %v", body, got, want)
		}
	}
}
