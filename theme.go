// Package digest holds the built-in theme: the repository's own templates/
// and static/ folders, embedded in the binary, so that a site without
// templates of its own still builds.
package digest

import (
	"embed"
	"io/fs"
)

//go:embed templates static
var theme embed.FS

// Theme returns the built-in theme: templates/ and static/.
func Theme() fs.FS { return theme }
