package scaffold

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ErrEdited means a draft no longer has the shape digest wrote it in (or is
// no longer a draft), so AddAlso leaves it alone.
var ErrEdited = errors.New("the file is no longer a draft as digest wrote it")

// AddAlso lists another outlet's version of a story in params.also of a
// draft that NewArticle wrote (rel, a slash path under root). It edits
// only a file that is still a draft with YAML front matter, adds nothing
// already listed, and replaces the file in one step (a new file renamed
// over it), so an editor never sees half a file.
func AddAlso(root, rel string, l Link) error {
	name := filepath.Join(root, filepath.FromSlash(rel))
	src, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	text := strings.ReplaceAll(string(src), "\r\n", "\n")
	if !strings.HasPrefix(text, "---\n") {
		return ErrEdited
	}
	end := strings.Index(text[4:], "\n---\n")
	if end < 0 {
		return ErrEdited
	}
	fm, rest := text[4:4+end+1], text[4+end+1:]
	if !strings.Contains("\n"+fm, "\ndraft: true\n") {
		return ErrEdited
	}
	if strings.Contains(fm, fmt.Sprintf("url: %q}", l.URL)) {
		return nil
	}
	fm, err = withAlso(fm, alsoLine(l))
	if err != nil {
		return err
	}
	info, err := os.Stat(name)
	if err != nil {
		return err
	}
	return replaceFile(name, []byte("---\n"+fm+rest), info.Mode().Perm())
}

// withAlso inserts an also line in front matter text: after the list's
// last line, or in a new list at the end of params (which digest writes
// last), or in a new params table.
func withAlso(fm, line string) (string, error) {
	lines := strings.SplitAfter(fm, "\n")
	for i, l := range lines {
		if l != "  also:\n" {
			continue
		}
		j := i + 1
		for j < len(lines) && strings.HasPrefix(lines[j], "    - ") {
			j++
		}
		return strings.Join(lines[:j], "") + line + strings.Join(lines[j:], ""), nil
	}
	for i, l := range lines {
		if l != "params:\n" {
			continue
		}
		j := i + 1
		for j < len(lines) && strings.HasPrefix(lines[j], "  ") {
			j++
		}
		if j != len(lines) && strings.TrimSpace(strings.Join(lines[j:], "")) != "" {
			return "", ErrEdited
		}
		return strings.Join(lines[:j], "") + "  also:\n" + line + strings.Join(lines[j:], ""), nil
	}
	if strings.Contains(fm, "\nparams:") || strings.HasPrefix(fm, "params:") {
		return "", ErrEdited
	}
	return fm + "params:\n  also:\n" + line, nil
}

// replaceFile writes data to a new file beside name and renames it over
// name.
func replaceFile(name string, data []byte, perm os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, perm)
	}
	if err == nil {
		err = os.Rename(tmp, name)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}
