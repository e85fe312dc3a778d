package importer

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/scaffold"
)

// siteFiles writes site.toml and .gitignore, dropping any setting digest
// would refuse, and loads the configuration the posts are placed with.
func (p *planner) siteFiles() error {
	p.checkSettings()
	text := siteTOML(p.r.Generator, p.set, false)
	cfg, errs := config.Parse([]byte(text))
	if err := errs.Err(); err != nil {
		return fmt.Errorf("the new site.toml would not load (a bug in digest import): %v", err)
	}
	p.cfg = cfg
	p.files["site.toml"] = []byte(text)
	p.files[".gitignore"] = []byte(scaffold.GitIgnore)
	return nil
}

var languageTag = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

// checkSettings drops the settings digest cannot use, saying so.
func (p *planner) checkSettings() {
	s := &p.set
	if s.language != "" {
		lang := strings.ReplaceAll(strings.TrimSpace(s.language), "_", "-")
		if !languageTag.MatchString(lang) {
			p.r.warn(SettingDropped, "", 0, "language %q is not a language tag: site.toml keeps the default, en", s.language)
			lang = ""
		}
		s.language = lang
	}
	if s.timezone != "" {
		if _, err := time.LoadLocation(s.timezone); err != nil || s.timezone == "Local" {
			p.r.warn(SettingDropped, "", 0, "timezone %q is not an IANA time zone: site.toml keeps the default, UTC (dates without a zone are read in UTC)", s.timezone)
			s.timezone = ""
		}
	}
	if s.baseURL != "" {
		if err := config.Default().SetBaseURL(s.baseURL); err != nil {
			p.r.warn(SettingDropped, "", 0, "base URL: %v: site.toml keeps the default, /", err)
			s.baseURL = ""
		}
	}
}

// siteTOML writes the new site's configuration, commented.
func siteTOML(gen Generator, s settings, rawHTML bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# digest site configuration, imported from a %s by digest import.\n", gen.Name())
	b.WriteString("# Every key is optional; the full list is in digest's README.\n\n")
	title := s.title
	if title == "" {
		title = "My Digest"
	}
	fmt.Fprintf(&b, "title = %s\n", tomlQuote(title))
	if s.description != "" {
		fmt.Fprintf(&b, "description = %s\n", tomlQuote(strings.Join(strings.Fields(s.description), " ")))
	}
	b.WriteString("\n# Where the site is published. Feeds, sitemaps and canonical links need an\n# absolute URL, e.g. \"https://news.example.org/\".\n")
	fmt.Fprintf(&b, "base_url = %s\n\n", tomlQuote(or(s.baseURL, "/")))
	fmt.Fprintf(&b, "language = %s\n", tomlQuote(or(s.language, "en")))
	b.WriteString("# The timezone that decides which day's edition an article belongs to.\n")
	fmt.Fprintf(&b, "timezone = %s\n", tomlQuote(or(s.timezone, "UTC")))
	b.WriteString("\n[markdown]\n")
	if rawHTML {
		b.WriteString("raw_html = true             # the old site let HTML in posts through, and some posts have it\n")
	} else {
		b.WriteString("raw_html = false            # raw HTML in articles is shown escaped unless true\n")
	}
	return b.String()
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
