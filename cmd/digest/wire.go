package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/fetch"
	"github.com/digest-ssg/digest/internal/pipeline"
	"github.com/digest-ssg/digest/internal/wire"
)

// wireFlags are the flags digest add and digest pull share.
type wireFlags struct {
	site    string
	timeout time.Duration
}

func (f *wireFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.site, "s", ".", "shorthand for --source")
	fs.StringVar(&f.site, "source", ".", "the site's root `folder`")
	fs.DurationVar(&f.timeout, "timeout", fetch.DefaultTimeout, "give up on a page or feed after this `long`")
}

// wireSite loads the site's configuration for add and pull.
func (f *wireFlags) wireSite(cmd string, stderr io.Writer) (*wire.Site, error) {
	if f.timeout <= 0 {
		fmt.Fprintf(stderr, "digest %s: --timeout must be more than 0 (e.g. 30s)\n", cmd)
		return nil, errUsage
	}
	if err := pipeline.CheckSource(f.site); err != nil {
		fmt.Fprintf(stderr, "digest %s: %v\n", cmd, err)
		return nil, &siteError{count: 1}
	}
	cfg, errs := config.Load(os.DirFS(f.site))
	if errs.Err() != nil {
		return nil, reportWith(errs.Err(), stderr, "fix site.toml and try again")
	}
	version, _ := buildVersion()
	return &wire.Site{
		Root: f.site, Config: cfg, Now: time.Now(),
		Client: &fetch.Client{
			UserAgent: "digest/" + version + " (static site generator for news digests; +https://github.com/digest-ssg/digest)",
			Timeout:   f.timeout,
		},
		Warn: func(format string, args ...any) {
			fmt.Fprintf(stderr, "digest %s: warning: %s\n", cmd, fmt.Sprintf(format, args...))
		},
	}, nil
}
