package check

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/digest-ssg/digest/internal/diag"
	"github.com/digest-ssg/digest/internal/parallel"
)

// External checks outbound links: a few at a time, each with a timeout,
// remembering results between runs in a cache file so that a second check
// asks again only about links that failed or are old.
type External struct {
	Client      *http.Client
	Concurrency int           // links checked at once (default 8)
	CacheFile   string        // where results are kept; "" keeps none
	MaxAge      time.Duration // how long a good result is trusted (default 24h)
	Now         func() time.Time
}

// result is one link's outcome, as cached.
type result struct {
	Status  int       `json:"status"`
	Error   string    `json:"error,omitempty"`
	Checked time.Time `json:"checked"`
}

func (r result) ok() bool { return r.Error == "" && r.Status < 400 }

// DefaultExternal returns the outbound-link checker digest check
// --external uses, caching in the user's cache folder.
func DefaultExternal() *External {
	cache := ""
	if dir, err := os.UserCacheDir(); err == nil {
		cache = filepath.Join(dir, "digest", "links.json")
	}
	return &External{CacheFile: cache}
}

// check asks each address once and reports a problem at every place it
// is linked from; it returns how many addresses it asked about.
func (e *External) check(ctx context.Context, links []externalLink, problems *diag.List) int {
	client := e.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	now := time.Now
	if e.Now != nil {
		now = e.Now
	}
	maxAge := e.MaxAge
	if maxAge == 0 {
		maxAge = 24 * time.Hour
	}
	workers := e.Concurrency
	if workers <= 0 {
		workers = 8
	}
	var urls []string
	index := map[string]int{}
	for _, l := range links {
		if _, ok := index[l.url]; !ok {
			index[l.url] = len(urls)
			urls = append(urls, l.url)
		}
	}
	cache := e.load()
	var mu sync.Mutex
	results := make([]result, len(urls))
	parallel.For(ctx, len(urls), workers, func(i int) {
		mu.Lock()
		prev, ok := cache[urls[i]]
		mu.Unlock()
		if ok && prev.ok() && now().Sub(prev.Checked) < maxAge {
			results[i] = prev
			return
		}
		results[i] = probe(ctx, client, urls[i])
		results[i].Checked = now()
		mu.Lock()
		cache[urls[i]] = results[i]
		mu.Unlock()
	})
	e.save(cache)
	for _, l := range links {
		switch r := results[index[l.url]]; {
		case r.Error != "":
			problems.Add(l.at(), "outbound link %s fails: %s", l.url, r.Error)
		case r.Status >= 400:
			problems.Add(l.at(), "outbound link %s answers %d %s", l.url, r.Status, http.StatusText(r.Status))
		}
	}
	return len(urls)
}

// probe asks for a URL with HEAD, and with GET when the server does not
// answer HEAD.
func probe(ctx context.Context, client *http.Client, url string) result {
	status, err := request(ctx, client, http.MethodHead, url)
	if err == nil && (status == http.StatusMethodNotAllowed || status == http.StatusNotImplemented || status == http.StatusForbidden) {
		status, err = request(ctx, client, http.MethodGet, url)
	}
	if err != nil {
		return result{Error: err.Error()}
	}
	return result{Status: status}
}

func request(ctx context.Context, client *http.Client, method, url string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("User-Agent", "digest-check (link checker)")
	resp, err := client.Do(req)
	if err != nil {
		var ue interface{ Timeout() bool }
		if errors.As(err, &ue) && ue.Timeout() {
			return 0, fmt.Errorf("no answer in time")
		}
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

func (e *External) load() map[string]result {
	cache := map[string]result{}
	if e.CacheFile == "" {
		return cache
	}
	if data, err := os.ReadFile(e.CacheFile); err == nil {
		json.Unmarshal(data, &cache)
	}
	return cache
}

func (e *External) save(cache map[string]result) {
	if e.CacheFile == "" {
		return
	}
	data, err := json.MarshalIndent(cache, "", " ")
	if err != nil {
		return
	}
	os.MkdirAll(filepath.Dir(e.CacheFile), 0o755)
	tmp := e.CacheFile + ".tmp"
	if os.WriteFile(tmp, data, 0o644) == nil {
		os.Rename(tmp, e.CacheFile)
	}
}
