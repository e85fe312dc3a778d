// Package digest holds the built-in theme: the repository's own templates/
// and its stylesheet, embedded in the binary, so that a site without
// templates of its own still builds. The rest of the repository's static/
// (the example site's pictures) is not part of the theme.
package digest

import (
	"embed"
	"io/fs"
)

//go:embed templates static/style.css
var theme embed.FS

// Theme returns the built-in theme: templates/ and static/style.css.
func Theme() fs.FS { return theme }
