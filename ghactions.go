package main

import (
	"fmt"
	"os"
	"strings"
)

// GitHub Actions reads "workflow commands" from a step's output: a line
// "::error file=F,line=N::message" becomes an annotation on that line of
// the pull request's diff, and "::group::title" ... "::endgroup::" folds a
// section of the log. benchpress writes them, beside its ordinary lines,
// when GITHUB_ACTIONS=true (the runner sets it in every step).

// underGitHubActions reports whether this process runs in a GitHub Actions
// step.
func underGitHubActions() bool { return os.Getenv("GITHUB_ACTIONS") == "true" }

// workflowCommand formats one workflow command line, newline included.
// file is a slash path relative to the repository root (the job's working
// directory), "" for none; line 0 for none. The message and the property
// values are escaped as the runner unescapes them, so a message of several
// lines, or one holding "::" or "%", arrives whole.
func workflowCommand(name, file string, line int, msg string) string {
	var b strings.Builder
	b.WriteString("::")
	b.WriteString(name)
	sep := " "
	if file != "" {
		b.WriteString(sep + "file=" + escapeProperty(file))
		sep = ","
	}
	if line > 0 {
		fmt.Fprintf(&b, "%sline=%d", sep, line)
	}
	b.WriteString("::")
	b.WriteString(escapeData(msg))
	b.WriteByte('\n')
	return b.String()
}

// escapeData escapes a command's message: %, CR and LF.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a property value: as a message, and also the
// ":" and "," that would end the value.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
