// Command digest builds and previews news digest sites.
//
//	digest init     make a new site
//	digest new      write a new article
//	digest add      draft a curated story from a web page
//	digest pull     draft the new stories of the feeds in site.toml
//	digest build    build the site into build/
//	digest serve    preview the site with live reload
//	digest check    check links, anchors, images and duplicate stories
//	digest import   make a site from a Hugo, Jekyll, Zola or Eleventy site
//	digest send     mail an edition over SMTP, never twice to anyone
//	digest version  print version and build information
//
// Run "digest help" or "digest COMMAND --help" for details.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // every machine knows every site's timezone
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"init", "make a new site", runInit},
		{"new", "write a new article", runNew},
		{"add", "draft a curated story from a web page", runAdd},
		{"pull", "draft the new stories of the feeds listed in site.toml", runPull},
		{"build", "build the site into its output folder", runBuild},
		{"serve", "preview the site with live reload while you edit", runServe},
		{"check", "check links, anchors, images and duplicate stories", runCheck},
		{"import", "make a site from a Hugo, Jekyll, Zola or Eleventy site", runImport},
		{"send", "mail an edition over SMTP, never twice to anyone", runSend},
		{"version", "print version and build information", runVersion},
	}
}

// run dispatches to the subcommand named by args[0].
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		usage(stderr)
		return errUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			return run(ctx, []string{args[1], "--help"}, stdout, stderr)
		}
		usage(stdout)
		return nil
	case "-v", "--version":
		return runVersion(ctx, nil, stdout, stderr)
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "digest: unknown command %q\n\n", args[0])
	usage(stderr)
	return errUsage
}

func usage(w io.Writer) {
	fmt.Fprint(w, "digest builds news digest sites from Markdown articles.\n\nUsage:\n  digest COMMAND [flags]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, "\nRun \"digest COMMAND --help\" for a command's flags.\n")
}

// errUsage means the command line was wrong; its message is already printed.
var errUsage = errors.New("usage")

// siteError means the site has problems; they are already printed.
type siteError struct{ count int }

func (e *siteError) Error() string { return fmt.Sprintf("%d problems", e.count) }

// exitCode prints err if it has not been printed and picks the exit
// status: 0 success, 1 the site has errors, 2 wrong usage.
func exitCode(err error, stderr io.Writer) int {
	var se *siteError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage):
		return 2
	case errors.As(err, &se):
		return 1
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "digest: interrupted")
		return 1
	}
	fmt.Fprintf(stderr, "digest: %v\n", err)
	return 1
}
