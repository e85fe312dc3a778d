package feed

import (
	"time"

	"github.com/digest-ssg/digest/internal/clean"
)

func parseDate(s string, o Options) (time.Time, bool) {
	return clean.ParseDate(s, o.Now, o.Location)
}
