package main

import (
	"embed"
	"io/fs"
)

// defaultTheme is themes/default compiled into the binary, so a directory
// holding only content/ and config.yaml builds with the binary alone.
//
//go:embed all:themes/default
var embeddedThemes embed.FS

func defaultTheme() fs.FS {
	sub, err := fs.Sub(embeddedThemes, "themes/default")
	if err != nil {
		panic(err) // the embed pattern guarantees the directory
	}
	return sub
}
