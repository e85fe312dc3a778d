package check

import (
	"fmt"
	"io/fs"
	"strings"
	"unicode/utf8"

	"github.com/digest-ssg/digest/internal/clean"
	"github.com/digest-ssg/digest/internal/diag"
	"github.com/digest-ssg/digest/internal/pipeline"
)

// textWarnings reports, for every article (drafts and scheduled ones
// too), the defects of text copied from the web that digest add and
// digest pull repair (see internal/clean): mojibake, invisible characters,
// entities escaped twice, page furniture, relative times, and words run
// together. They are warnings: the article still builds.
func textWarnings(l *pipeline.Loaded) diag.List {
	var files []string
	for _, a := range l.Site.Articles {
		files = append(files, a.File)
	}
	for _, a := range l.Site.Skipped.Articles {
		files = append(files, a.File)
	}
	var out diag.List
	for _, file := range files {
		src, err := fs.ReadFile(l.Source, file)
		if err != nil {
			continue
		}
		text := string(src)
		for _, f := range clean.Inspect(text) {
			out.Warn(position(file, text, f.Start), "%s", describe(f))
		}
	}
	out.Sort()
	return out
}

// position is the file:line:col of a byte offset, the column counted in
// characters.
func position(file, text string, offset int) diag.Pos {
	line := strings.Count(text[:offset], "\n") + 1
	start := strings.LastIndexByte(text[:offset], '\n') + 1
	return diag.Pos{File: file, Line: line, Col: utf8.RuneCountInString(text[start:offset]) + 1}
}

// describe says what a defect is and what to do about it.
func describe(f clean.Finding) string {
	switch f.Rule {
	case clean.RuleMojibake:
		return fmt.Sprintf("mojibake %q should read %q (UTF-8 text read as Windows-1252 on its way here; correct it)", f.Text, f.Fix)
	case clean.RuleInvisible:
		return fmt.Sprintf("an invisible %s (delete it)", f.Text)
	case clean.RuleEntity:
		return fmt.Sprintf("%q is an HTML entity escaped twice and shows as code (write %q)", f.Text, f.Fix)
	case clean.RuleBoilerplate:
		return fmt.Sprintf("%q looks like a web page's furniture copied with the story (delete it)", f.Text)
	case clean.RuleRelative:
		return fmt.Sprintf("%q is a relative time copied from a web page and will soon read wrong (delete it, or write the date)", f.Text)
	case clean.RuleLostSpace:
		return fmt.Sprintf("words run together? %q (should it read %q?)", f.Text, f.Fix)
	}
	return string(f.Rule) + ": " + f.Text
}
