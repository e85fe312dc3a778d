package pipeline

import (
	"errors"
	"testing"

	"github.com/digest-ssg/digest/internal/publish"
)

// TestCheckShrink: a build may lose up to half of the articles the
// previous build published, not more, and none only if there were none.
func TestCheckShrink(t *testing.T) {
	for _, tc := range []struct {
		previous publish.Record
		articles int
		allow    bool
		refused  bool
	}{
		{publish.Record{Articles: 120, Counted: true}, 3, false, true},
		{publish.Record{Articles: 120, Counted: true}, 3, true, false},
		{publish.Record{Articles: 120, Counted: true}, 59, false, true},
		{publish.Record{Articles: 120, Counted: true}, 60, false, false},
		{publish.Record{Articles: 3, Counted: true}, 1, false, true},
		{publish.Record{Articles: 2, Counted: true}, 1, false, false},
		{publish.Record{Articles: 1, Counted: true}, 0, false, true},
		{publish.Record{Articles: 1, Counted: true}, 0, true, false},
		{publish.Record{Articles: 0, Counted: true}, 0, false, false},
		{publish.Record{Articles: 5, Counted: true}, 500, false, false},
		{publish.Record{}, 0, false, false}, // an old marker, or no output
	} {
		err := checkShrink(tc.previous, tc.articles, Options{Source: t.TempDir(), AllowShrink: tc.allow})
		var se *ShrinkError
		if got := errors.As(err, &se); got != tc.refused {
			t.Errorf("%d articles over %+v (allow %v): %v, want refused %v", tc.articles, tc.previous, tc.allow, err, tc.refused)
		}
	}
}
