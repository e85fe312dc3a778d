package feed

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"strings"
)

// jsonFeed is JSON Feed 1.0 and 1.1.
type jsonFeed struct {
	Version     string       `json:"version"`
	Title       string       `json:"title"`
	HomePageURL string       `json:"home_page_url"`
	Items       []jsonItem   `json:"items"`
	Author      jsonAuthor   `json:"author"`
	Authors     []jsonAuthor `json:"authors"`
}

type jsonItem struct {
	ID            json.RawMessage `json:"id"`
	URL           string          `json:"url"`
	ExternalURL   string          `json:"external_url"`
	Title         string          `json:"title"`
	ContentHTML   string          `json:"content_html"`
	ContentText   string          `json:"content_text"`
	Summary       string          `json:"summary"`
	Image         string          `json:"image"`
	BannerImage   string          `json:"banner_image"`
	DatePublished string          `json:"date_published"`
	DateModified  string          `json:"date_modified"`
	Author        jsonAuthor      `json:"author"`
	Authors       []jsonAuthor    `json:"authors"`
	Tags          []string        `json:"tags"`
}

// jsonAuthor is an author object, or a plain name as some feeds write it.
type jsonAuthor struct{ Name string }

func (a *jsonAuthor) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		a.Name = s
		return nil
	}
	var o struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal(b, &o); err != nil {
		return nil // an author we cannot read is left out, not a failed feed
	}
	a.Name = o.Name
	return nil
}

func parseJSON(data []byte, opt Options) (*Feed, error) {
	var jf jsonFeed
	if err := json.Unmarshal(data, &jf); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line := strings.Count(string(data[:se.Offset]), "\n") + 1
			return nil, fmt.Errorf("bad JSON at line %d: %v", line, err)
		}
		return nil, fmt.Errorf("not a JSON Feed: %v", err)
	}
	if !strings.Contains(jf.Version, "jsonfeed.org") {
		return nil, fmt.Errorf("not a JSON Feed (no \"version\": \"https://jsonfeed.org/version/1.1\")")
	}
	f := &Feed{Format: "JSON Feed", Title: jf.Title, Link: jf.HomePageURL}
	feedAuthor := jf.Author.Name
	if feedAuthor == "" && len(jf.Authors) > 0 {
		feedAuthor = jf.Authors[0].Name
	}
	for _, ji := range jf.Items {
		it := Item{
			GUID: strings.Trim(string(ji.ID), `"`), Title: ji.Title, Link: cmpOr(ji.URL, ji.ExternalURL),
			Content: ji.ContentHTML, Image: cmpOr(ji.Image, ji.BannerImage), Categories: ji.Tags,
		}
		if it.Content == "" && ji.ContentText != "" {
			it.Content = "<p>" + html.EscapeString(ji.ContentText) + "</p>"
		}
		if ji.Summary != "" {
			it.Summary = html.EscapeString(ji.Summary)
		}
		opt.date(ji.DatePublished, &it.Published, &it.DateText)
		opt.date(ji.DateModified, &it.Updated, new(string))
		for _, a := range append([]jsonAuthor{ji.Author}, ji.Authors...) {
			if a.Name != "" {
				it.Authors = append(it.Authors, a.Name)
			}
		}
		if len(it.Authors) == 0 && feedAuthor != "" {
			it.Authors = []string{feedAuthor}
		}
		f.Items = append(f.Items, it)
	}
	return f, nil
}
