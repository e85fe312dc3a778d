// Package fetch gets web pages and feeds for digest add and digest pull,
// as a careful client should: only http and https; a timeout for each
// request, from connecting to the last byte; a cap on the size of what it
// reads (after decompression, so a small gzip bomb is refused too);
// redirects followed up to a limit, each checked like the first URL;
// gzip; conditional requests (ETag, Last-Modified) so an unchanged feed
// costs a 304; and a User-Agent that says who asks. Text tells the
// character set a page really uses when the HTTP header, the page's own
// declaration and the bytes disagree.
//
// Every failure is an *Error naming the URL and saying why, in words an
// editor can act on.
package fetch

import (
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults for a Client's limits.
const (
	DefaultTimeout      = 20 * time.Second
	DefaultMaxBytes     = 8 << 20
	DefaultMaxRedirects = 5
)

// Client fetches URLs. The zero value is ready to use with the defaults.
type Client struct {
	UserAgent    string        // sent with every request
	Timeout      time.Duration // for each request, from connecting to the last byte; 0: DefaultTimeout
	MaxBytes     int64         // the largest body read, after decompression; 0: DefaultMaxBytes
	MaxRedirects int           // redirects followed; 0: DefaultMaxRedirects
	Transport    http.RoundTripper
	Now          func() time.Time // the clock, for Response.Fetched; nil: time.Now
}

// Request is what to fetch.
type Request struct {
	URL          string
	Accept       string // the Accept header; empty: any
	ETag         string // from the last response, for a conditional request
	LastModified string // likewise
}

// Response is what came back.
type Response struct {
	URL          string // the URL after redirects
	Status       int
	NotModified  bool   // 304: nothing changed since ETag or LastModified
	ContentType  string // the header's value, as sent
	Body         []byte // decompressed
	ETag         string
	LastModified string
	Fetched      time.Time
}

// Error is a URL that could not be fetched, and why.
type Error struct {
	URL    string
	Reason string
	Err    error // the underlying error, if any
}

func (e *Error) Error() string { return e.URL + ": " + e.Reason }
func (e *Error) Unwrap() error { return e.Err }

// CheckURL parses an absolute http or https URL, the only kinds digest
// fetches.
func CheckURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, &Error{URL: raw, Reason: "not a URL", Err: err}
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, &Error{URL: raw, Reason: "not an http or https URL (digest fetches only those)"}
	}
	if u.Host == "" {
		return nil, &Error{URL: raw, Reason: "the URL has no host (write it in full, https://…)"}
	}
	return u, nil
}

func (c *Client) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return DefaultTimeout
}

func (c *Client) maxBytes() int64 {
	if c.MaxBytes > 0 {
		return c.MaxBytes
	}
	return DefaultMaxBytes
}

func (c *Client) maxRedirects() int {
	if c.MaxRedirects > 0 {
		return c.MaxRedirects
	}
	return DefaultMaxRedirects
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// errTooManyRedirects and errBadRedirect end a redirect chain.
var (
	errTooManyRedirects = errors.New("too many redirects")
	errBadRedirect      = errors.New("redirect to a URL that is not http or https")
)

func (c *Client) httpClient() *http.Client {
	t := c.Transport
	if t == nil {
		t = &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 10 * time.Second}).DialContext,
			TLSHandshakeTimeout:   10 * time.Second,
			ResponseHeaderTimeout: c.timeout(),
			MaxIdleConnsPerHost:   2,
			IdleConnTimeout:       30 * time.Second,
		}
	}
	return &http.Client{
		Transport: t,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > c.maxRedirects() {
				return errTooManyRedirects
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return errBadRedirect
			}
			return nil
		},
	}
}

// Get fetches one URL. A status of 400 or more is an error; so is a body
// over the size cap, a timeout, or a redirect chain that is too long or
// leaves http(s).
func (c *Client) Get(ctx context.Context, r Request) (*Response, error) {
	u, err := CheckURL(r.URL)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, &Error{URL: r.URL, Reason: "not a URL", Err: err}
	}
	c.setHeaders(req, r)
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return nil, c.describe(r.URL, ctx, err)
	}
	defer resp.Body.Close()
	out := &Response{
		URL: resp.Request.URL.String(), Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"),
		ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified"), Fetched: c.now(),
	}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		out.NotModified = true
		return out, nil
	case resp.StatusCode >= 400:
		return nil, &Error{URL: r.URL, Reason: "the server answered " + resp.Status + hint(resp.StatusCode)}
	case resp.StatusCode >= 300:
		return nil, &Error{URL: r.URL, Reason: "the server answered " + resp.Status + " without a usable Location"}
	}
	out.Body, err = c.readBody(resp)
	if err != nil {
		return nil, c.describe(r.URL, ctx, err)
	}
	return out, nil
}

func (c *Client) setHeaders(req *http.Request, r Request) {
	if c.UserAgent != "" {
		req.Header.Set("User-Agent", c.UserAgent)
	}
	accept := r.Accept
	if accept == "" {
		accept = "*/*"
	}
	req.Header.Set("Accept", accept)
	req.Header.Set("Accept-Encoding", "gzip, deflate")
	if r.ETag != "" {
		req.Header.Set("If-None-Match", r.ETag)
	}
	if r.LastModified != "" {
		req.Header.Set("If-Modified-Since", r.LastModified)
	}
}

// hint says what an HTTP error status usually means for an editor.
func hint(status int) string {
	switch {
	case status == http.StatusNotFound || status == http.StatusGone:
		return " (the page is gone or the URL is wrong)"
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return " (the site refuses digest: it may need a login or block automated requests)"
	case status == http.StatusTooManyRequests:
		return " (asked too often: try again later)"
	case status >= 500:
		return " (a fault at the site: try again later)"
	}
	return ""
}

// errTooLarge is a body over the size cap.
type errTooLarge struct{ limit int64 }

func (e errTooLarge) Error() string {
	return fmt.Sprintf("the response is larger than the limit of %s", size(e.limit))
}

func size(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d KB", n>>10)
}

// readBody reads the body, decompressed, up to the size cap.
func (c *Client) readBody(resp *http.Response) ([]byte, error) {
	limit := c.maxBytes()
	if resp.ContentLength > limit && resp.Header.Get("Content-Encoding") == "" {
		return nil, errTooLarge{limit}
	}
	var body io.Reader = resp.Body
	switch enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			return nil, fmt.Errorf("the gzip data is damaged: %w", err)
		}
		defer zr.Close()
		body = zr
	case "deflate":
		zr, err := zlib.NewReader(resp.Body)
		if err != nil {
			return nil, fmt.Errorf("the deflate data is damaged: %w", err)
		}
		defer zr.Close()
		body = zr
	default:
		return nil, fmt.Errorf("the server sent %s-compressed data, which digest cannot read", enc)
	}
	data, err := io.ReadAll(io.LimitReader(body, limit+1))
	if err != nil {
		if errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) || errors.Is(err, io.ErrUnexpectedEOF) && resp.Header.Get("Content-Encoding") != "" {
			return nil, fmt.Errorf("the compressed data is damaged: %w", err)
		}
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, errTooLarge{limit}
	}
	return data, nil
}

// describe turns a transport error into an Error with a reason.
func (c *Client) describe(raw string, ctx context.Context, err error) error {
	var tl errTooLarge
	var dns *net.DNSError
	var op *net.OpError
	reason := err.Error()
	switch {
	case errors.Is(err, errTooManyRedirects):
		reason = fmt.Sprintf("more than %d redirects (the site sends digest round in circles)", c.maxRedirects())
	case errors.Is(err, errBadRedirect):
		reason = "redirected to a URL that is not http or https"
	case errors.As(err, &tl):
		reason = tl.Error()
	case errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		reason = fmt.Sprintf("no complete answer within %s (timed out)", c.timeout())
	case errors.Is(err, context.Canceled):
		return err
	case errors.As(err, &dns):
		reason = fmt.Sprintf("cannot find the host %s", dns.Name)
	case errors.As(err, &op) && op.Op == "dial":
		reason = "cannot connect: " + op.Err.Error()
	default:
		var ue *url.Error
		if errors.As(err, &ue) {
			reason = ue.Err.Error()
		}
	}
	return &Error{URL: raw, Reason: reason, Err: err}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// MediaType is the media type of a Content-Type header, lower-case, or "".
func MediaType(contentType string) string {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return strings.ToLower(strings.TrimSpace(strings.Split(contentType, ";")[0]))
	}
	return mt
}
