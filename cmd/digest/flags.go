package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/digest-ssg/digest/internal/config"
)

// newFlagSet returns a flag set whose --help prints the command's usage
// text and flags to stdout.
func newFlagSet(name, synopsis, help string, stdout io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: digest %s\n\n%s\n\nFlags:\n", synopsis, strings.TrimSpace(help))
		printFlags(w, fs)
	}
	return fs
}

// printFlags lists the flags GNU-style, a shorthand beside its long name:
//
//	-s, --source folder   the site's root folder (default ".")
func printFlags(w io.Writer, fs *flag.FlagSet) {
	short := map[string]string{}
	fs.VisitAll(func(f *flag.Flag) {
		if long, ok := strings.CutPrefix(f.Usage, "shorthand for --"); ok {
			short[long] = f.Name
		}
	})
	fs.VisitAll(func(f *flag.Flag) {
		if strings.HasPrefix(f.Usage, "shorthand for --") {
			return
		}
		arg, usage := flag.UnquoteUsage(f)
		name := "    --" + f.Name
		if len(f.Name) == 1 {
			name = "-" + f.Name
		}
		if s, ok := short[f.Name]; ok {
			name = "-" + s + ", --" + f.Name
		}
		if arg != "" {
			name += " " + arg
		}
		if f.DefValue != "" && f.DefValue != "false" {
			usage += fmt.Sprintf(" (default %q)", f.DefValue)
		}
		fmt.Fprintf(w, "  %-24s %s\n", name, usage)
	})
}

// parseFlags parses args, which must all be flags; --help prints usage to
// stdout and succeeds, bad flags print usage to stderr and fail with
// errUsage.
func parseFlags(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (help bool, err error) {
	if help, err := parseFlagsOnly(fs, args, stdout, stderr); help || err != nil {
		return help, err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "digest %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		fs.Usage()
		return false, errUsage
	}
	return false, nil
}

// parseFlagsOnly parses flags up to the first argument that is not one.
func parseFlagsOnly(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (help bool, err error) {
	fs.SetOutput(stderr)
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" {
			fs.SetOutput(stdout)
			fs.Usage()
			return true, nil
		}
		if a == "--" {
			break
		}
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return true, nil
		}
		return false, errUsage
	}
	return false, nil
}

// siteFlags are the flags shared by commands that read a site.
type siteFlags struct {
	source                  string
	drafts, future, expired bool
	baseURL                 string
	cacheDir                string
	noCache                 bool
}

// cacheEnv names the environment variable that moves the build cache.
const cacheEnv = "DIGEST_CACHE_DIR"

// cache is the build cache's folder: --cache-dir, else $DIGEST_CACHE_DIR,
// else the site's .digest/cache; "" with --no-cache.
func (f *siteFlags) cache() string {
	switch {
	case f.noCache:
		return ""
	case f.cacheDir != "":
		return f.cacheDir
	case os.Getenv(cacheEnv) != "":
		return os.Getenv(cacheEnv)
	}
	return filepath.Join(f.source, ".digest", "cache")
}

// check validates the flags' values; a bad one is wrong usage.
func (f *siteFlags) check(cmd string, stderr io.Writer) error {
	if f.baseURL != "" {
		if err := config.Default().SetBaseURL(f.baseURL); err != nil {
			fmt.Fprintf(stderr, "digest %s: --base-url: %v\n", cmd, err)
			return errUsage
		}
	}
	return nil
}

func (f *siteFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.source, "s", ".", "shorthand for --source")
	fs.StringVar(&f.source, "source", ".", "the site's root `folder`")
	fs.BoolVar(&f.drafts, "drafts", false, "include articles marked draft: true")
	fs.BoolVar(&f.future, "future", false, "include articles dated in the future")
	fs.BoolVar(&f.expired, "expired", false, "include articles past their expires: time")
	fs.StringVar(&f.baseURL, "base-url", "", "publish under this `URL` instead of site.toml's base_url")
	fs.StringVar(&f.cacheDir, "cache-dir", "", "keep the build cache in this `folder` (default: $"+cacheEnv+", else .digest/cache in the site)")
	fs.BoolVar(&f.noCache, "no-cache", false, "neither read nor write the build cache")
}

// parseWithArg parses flags and one optional positional argument, which
// may come before, between or after the flags ("new --topic X Headline").
func parseWithArg(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (arg string, help bool, err error) {
	var rest []string
	for len(args) > 0 {
		if help, err := parseFlagsOnly(fs, args, stdout, stderr); help || err != nil {
			return "", help, err
		}
		if fs.NArg() == 0 {
			break
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(rest) > 1 {
		fmt.Fprintf(stderr, "digest %s: unexpected argument %q\n", fs.Name(), rest[1])
		fs.Usage()
		return "", false, errUsage
	}
	if len(rest) == 1 {
		arg = rest[0]
	}
	return arg, false, nil
}
