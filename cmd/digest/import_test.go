package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// TestImportScriptFixtures keeps the sites in src/ of the import_*.txtar
// scripts the same as the fixtures internal/importer's tests import, so
// that the command and the package are tested on one site each.
func TestImportScriptFixtures(t *testing.T) {
	for _, gen := range []string{"hugo", "jekyll", "zola", "eleventy"} {
		script, err := txtar.ParseFile(filepath.Join("testdata", "script", "import_"+gen+".txtar"))
		if err != nil {
			t.Fatal(err)
		}
		fixture, err := txtar.ParseFile(filepath.Join("..", "..", "internal", "importer", "testdata", gen+".txtar"))
		if err != nil {
			t.Fatal(err)
		}
		src := map[string][]byte{}
		for _, f := range script.Files {
			if name, ok := strings.CutPrefix(f.Name, "src/"); ok {
				src[name] = f.Data
			}
		}
		for _, f := range fixture.Files {
			if !bytes.Equal(src[f.Name], f.Data) {
				t.Errorf("import_%s.txtar: src/%s differs from internal/importer/testdata/%s.txtar", gen, f.Name, gen)
			}
			delete(src, f.Name)
		}
		for name := range src {
			t.Errorf("import_%s.txtar: src/%s is not in internal/importer/testdata/%s.txtar", gen, name, gen)
		}
	}
}
