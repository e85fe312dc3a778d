package pipeline

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/digest-ssg/digest"
)

// TestExampleSiteIsValidHTML runs the Nu HTML Checker (vnu.jar, from the
// npm package vnu-jar) over every page and the stylesheet of the example
// site, as built for users (minified), the emails included. It needs Java and VNU_JAR naming
// the jar; without them it skips, unless DIGEST_REQUIRE_VNU is set, as CI
// sets it.
func TestExampleSiteIsValidHTML(t *testing.T) {
	jar := os.Getenv("VNU_JAR")
	_, javaErr := exec.LookPath("java")
	if jar == "" || javaErr != nil {
		if os.Getenv("DIGEST_REQUIRE_VNU") != "" {
			t.Fatalf("DIGEST_REQUIRE_VNU is set but VNU_JAR=%q, java: %v", jar, javaErr)
		}
		t.Skip("skipping HTML validation: set VNU_JAR to vnu.jar (npm install vnu-jar) and install Java to run it")
	}
	out := t.TempDir() + "/site"
	if _, err := Run(context.Background(), Options{Source: repoRoot, Out: out, Theme: digest.Theme(), Now: now}); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		// The emails' unsubscribe link is a placeholder for a mail service
		// to fill ([email] unsubscribe_placeholder), not yet a URL.
		{"--filterpattern", `.*Bad value “\{\{unsubscribe_url\}\}” for attribute “href”.*`, "--skip-non-html", out},
		{"--css", out + "/style.css"},
	} {
		cmd := exec.Command("java", append([]string{"-jar", jar, "--errors-only", "--format", "gnu"}, args...)...)
		if msg, err := cmd.CombinedOutput(); err != nil || len(msg) > 0 {
			t.Errorf("the Nu HTML Checker reports (%v):\n%s", err, msg)
		}
	}
}
