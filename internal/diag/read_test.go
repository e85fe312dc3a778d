package diag

import (
	"errors"
	"io/fs"
	"testing"
)

func TestCannotRead(t *testing.T) {
	denied := &fs.PathError{Op: "open", Path: "content/a.md", Err: fs.ErrPermission}
	for _, tc := range []struct {
		file  string
		isDir bool
		err   error
		want  string
	}{
		{"content/a.md", false, denied, "content/a.md: cannot read: permission denied (give the user running digest read access to it, e.g. chmod a+r content/a.md)"},
		{"content/2026", true, denied, "content/2026: cannot read: permission denied (give the user running digest read access to it, e.g. chmod -R a+rX content/2026)"},
		{"static/x.css", false, &fs.PathError{Op: "read", Path: "static/x.css", Err: errors.New("input/output error")}, "static/x.css: cannot read: input/output error"},
	} {
		if got := CannotRead(tc.file, tc.isDir, tc.err).Error(); got != tc.want {
			t.Errorf("CannotRead(%q, %v, %v) = %q, want %q", tc.file, tc.isDir, tc.err, got, tc.want)
		}
	}
}
