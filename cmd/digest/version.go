package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

const versionHelp = `
Prints digest's version, the Go version it was built with, and the
commit it was built from when known.`

func runVersion(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("version", "version", versionHelp, stdout)
	if help, err := parseFlags(fs, args, stdout, stderr); help || err != nil {
		return err
	}
	version, commit := buildVersion()
	fmt.Fprintf(stdout, "digest %s %s %s/%s", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if commit != "" {
		fmt.Fprintf(stdout, " commit %s", commit)
	}
	fmt.Fprintln(stdout)
	return nil
}

// buildVersion is digest's module version and the commit it was built
// from, when known.
func buildVersion() (version, commit string) {
	version = "(devel)"
	if info, ok := debug.ReadBuildInfo(); ok {
		if info.Main.Version != "" {
			version = info.Main.Version
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.modified":
				if s.Value == "true" && commit != "" {
					commit += "+dirty"
				}
			}
		}
	}
	return version, commit
}
