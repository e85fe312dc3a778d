package importer

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/digest-ssg/digest/internal/meta"
)

// conf is a generator's configuration file, read into plain values:
// string, int64, float64, bool, []any and map[string]any.
type conf map[string]any

// readConf reads a TOML, YAML or JSON file by its extension. A missing
// file is an empty configuration and false.
func readConf(fsys fs.FS, name string) (conf, bool, error) {
	data, err := fs.ReadFile(fsys, name)
	if errors.Is(err, fs.ErrNotExist) {
		return conf{}, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	var root *meta.Node
	switch strings.ToLower(path.Ext(name)) {
	case ".toml":
		root, err = meta.ParseTOML(data)
	case ".json":
		root, err = parseJSON(data)
	default:
		root, err = meta.ParseYAML(data)
	}
	if err != nil {
		var se *meta.SyntaxError
		if errors.As(err, &se) && se.Line > 0 {
			return nil, false, fmt.Errorf("%s:%d: %s", name, se.Line, se.Msg)
		}
		return nil, false, fmt.Errorf("%s: %v", name, err)
	}
	m, _ := root.Interface().(map[string]any)
	return conf(m), true, nil
}

// get finds a key in any letter case (Hugo's keys are case-insensitive),
// following dots into tables: get("markup.goldmark.renderer.unsafe").
func (c conf) get(key string) any {
	var cur any = map[string]any(c)
	for _, k := range strings.Split(key, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = nil
		if v, ok := m[k]; ok {
			cur = v
			continue
		}
		for mk, v := range m {
			if strings.EqualFold(mk, k) {
				cur = v
				break
			}
		}
	}
	return cur
}

// str is a key's text value, or "".
func (c conf) str(key string) string {
	switch v := c.get(key).(type) {
	case string:
		return strings.TrimSpace(v)
	case int64, float64:
		return fmt.Sprint(v)
	}
	return ""
}

// flag is a key's true/false value.
func (c conf) flag(key string) bool {
	v, _ := c.get(key).(bool)
	return v
}

// table is a key's table value, or nil.
func (c conf) table(key string) conf {
	m, _ := c.get(key).(map[string]any)
	return conf(m)
}

// strs is a key's list of text (a single text is a list of one).
func (c conf) strs(key string) []string {
	switch v := c.get(key).(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, item := range v {
			if s, ok := item.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// exists reports whether a file or folder is in fsys.
func exists(fsys fs.FS, name string) bool {
	_, err := fs.Stat(fsys, name)
	return err == nil
}

func isDir(fsys fs.FS, name string) bool {
	info, err := fs.Stat(fsys, name)
	return err == nil && info.IsDir()
}

// subdir reads a config's folder inside the site ("src", "./content/"),
// "." when it is empty or leads outside.
func subdir(s string) string {
	s = path.Clean(strings.Trim(strings.TrimSpace(s), "/"))
	if s == "" || !fs.ValidPath(s) {
		return "."
	}
	return s
}
