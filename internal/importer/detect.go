package importer

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

// Config files and folders that identify each generator.
var (
	hugoConfigs     = []string{"hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml", "config.yml", "config.json", "config/_default/hugo.toml", "config/_default/hugo.yaml", "config/_default/hugo.yml", "config/_default/config.toml", "config/_default/config.yaml", "config/_default/config.yml"}
	jekyllConfigs   = []string{"_config.yml", "_config.yaml", "_config.toml"}
	eleventyConfigs = []string{"eleventy.config.js", "eleventy.config.mjs", "eleventy.config.cjs", "eleventy.config.ts", ".eleventy.js", ".eleventy.cjs", ".eleventy.mjs"}
)

// evidence is what was found of one generator: strong signs are its
// own config files, weak ones folders others share.
type evidence struct {
	gen          Generator
	strong, weak []string
}

// detect picks the generator of the site in fsys: want when given (if
// anything of it is there), else the only one with strong signs, else the
// only one with weak ones, else a folder of posts. It returns what the
// choice rests on.
func detect(fsys fs.FS, want Generator) (Generator, string, error) {
	all := []evidence{hugoSigns(fsys), jekyllSigns(fsys), zolaSigns(fsys), eleventySigns(fsys)}
	if want != "" {
		for _, e := range all {
			if e.gen == want {
				if signs := append(e.strong, e.weak...); len(signs) > 0 {
					return want, strings.Join(signs, ", "), nil
				}
				return "", "", fmt.Errorf("no %s site here: found none of %s (leave out --from to import a folder of posts)", want.Name(), strings.Join(lookFor(want), ", "))
			}
		}
	}
	for _, level := range []func(evidence) []string{func(e evidence) []string { return e.strong }, func(e evidence) []string { return e.weak }} {
		var found []evidence
		for _, e := range all {
			if len(level(e)) > 0 {
				found = append(found, e)
			}
		}
		switch len(found) {
		case 0:
			continue
		case 1:
			return found[0].gen, strings.Join(level(found[0]), ", "), nil
		}
		var names []string
		for _, e := range found {
			names = append(names, fmt.Sprintf("%s (%s)", e.gen.Name(), strings.Join(level(e), ", ")))
		}
		return "", "", fmt.Errorf("this looks like more than one kind of site: %s; say which with --from", strings.Join(names, " and "))
	}
	if hasPosts(fsys) {
		return Folder, "Markdown files with front matter", nil
	}
	return "", "", errNotASite
}

// errNotASite is a source with neither a generator's config nor posts.
var errNotASite = errors.New("no site here: no config file of Hugo (hugo.toml, config.toml), Jekyll (_config.yml), Zola (config.toml) or Eleventy (eleventy.config.js, .eleventy.js), and no Markdown files with front matter (give the folder of the site, or a folder of posts)")

// lookFor lists what detect looks for of a generator, for messages.
func lookFor(g Generator) []string {
	switch g {
	case Hugo:
		return []string{"hugo.toml", "config.toml with baseURL", "content/ with archetypes/ or layouts/"}
	case Jekyll:
		return []string{"_config.yml", "_posts/"}
	case Zola:
		return []string{"config.toml with base_url", "content/ with templates/"}
	}
	return []string{"eleventy.config.js", ".eleventy.js", "a package.json needing @11ty/eleventy"}
}

func hugoSigns(fsys fs.FS) evidence {
	e := evidence{gen: Hugo}
	for _, name := range hugoConfigs {
		if !exists(fsys, name) {
			continue
		}
		if strings.HasPrefix(name, "hugo.") || strings.HasPrefix(name, "config/") || configHas(fsys, name, "baseurl") && !configHas(fsys, name, "base_url") {
			e.strong = append(e.strong, name)
		}
	}
	if isDir(fsys, "content") && (isDir(fsys, "archetypes") || isDir(fsys, "layouts")) {
		e.weak = append(e.weak, "content/ and archetypes/ or layouts/")
	}
	return e
}

func jekyllSigns(fsys fs.FS) evidence {
	e := evidence{gen: Jekyll}
	for _, name := range jekyllConfigs {
		if exists(fsys, name) {
			e.strong = append(e.strong, name)
		}
	}
	if isDir(fsys, "_posts") {
		e.strong = append(e.strong, "_posts/")
	}
	return e
}

func zolaSigns(fsys fs.FS) evidence {
	e := evidence{gen: Zola}
	for _, name := range []string{"config.toml", "zola.toml"} {
		if exists(fsys, name) && configHas(fsys, name, "base_url") {
			e.strong = append(e.strong, name+" with base_url")
		}
	}
	if isDir(fsys, "content") && isDir(fsys, "templates") {
		e.weak = append(e.weak, "content/ and templates/")
	}
	return e
}

func eleventySigns(fsys fs.FS) evidence {
	e := evidence{gen: Eleventy}
	for _, name := range eleventyConfigs {
		if exists(fsys, name) {
			e.strong = append(e.strong, name)
		}
	}
	if data, err := fs.ReadFile(fsys, "package.json"); err == nil && bytes.Contains(data, []byte(`"@11ty/eleventy"`)) {
		e.strong = append(e.strong, "package.json needing @11ty/eleventy")
	}
	return e
}

// configHas reports whether a config file sets a top-level key (in any
// letter case).
func configHas(fsys fs.FS, name, key string) bool {
	c, ok, err := readConf(fsys, name)
	if err != nil || !ok {
		return false
	}
	for k := range c {
		if strings.EqualFold(k, key) {
			return true
		}
	}
	return false
}

// hasPosts reports whether any Markdown file with front matter is in
// fsys (outside hidden folders and node_modules).
func hasPosts(fsys fs.FS) bool {
	found := errors.New("found")
	err := walkFiles(fsys, ".", skipTooling, func(file string, _ fs.DirEntry) error {
		if !isMarkdown(file) {
			return nil
		}
		data, err := fs.ReadFile(fsys, file)
		if err == nil && hasFront(data) {
			return found
		}
		return nil
	})
	return errors.Is(err, found)
}

// skipTooling skips the folders of tools and outputs found in sites.
func skipTooling(dir string) bool {
	name := dir[strings.LastIndexByte(dir, '/')+1:]
	return slices.Contains([]string{"node_modules", "vendor", "_site", "public", "build", ".git"}, name)
}
