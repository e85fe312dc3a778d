package extract

import (
	"net/url"
	"slices"
	"strings"
)

// trackingParams are query parameters that only say how a reader came to
// a link (campaigns, click ids, mail tools), never which story it is.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "gclsrc": true, "dclid": true, "gbraid": true, "wbraid": true,
	"msclkid": true, "yclid": true, "twclid": true, "ttclid": true, "li_fat_id": true, "igshid": true,
	"mc_cid": true, "mc_eid": true, "_ga": true, "_gl": true, "_hsenc": true, "_hsmi": true, "mkt_tok": true,
	"oly_anon_id": true, "oly_enc_id": true, "vero_id": true, "vero_conv": true, "rb_clickid": true,
	"ref_src": true, "ref_url": true, "cmpid": true, "s_cid": true, "ito": true, "ocid": true, "smid": true,
	"wt.mc_id": true, "wt_mc": true, "spm": true, "sr_share": true, "__twitter_impression": true,
	"ns_source": true, "ns_mchannel": true, "ns_campaign": true, "ns_linkname": true, "ns_fee": true,
}

// isTracking reports whether a query parameter's name is tracking.
func isTracking(name string) bool {
	low := strings.ToLower(name)
	return strings.HasPrefix(low, "utm_") || strings.HasPrefix(low, "at_") || trackingParams[low]
}

// CleanURL removes tracking parameters (utm_* and the click ids of
// advertising and mail services) and the fragment from an http(s) URL,
// keeping the other parameters as written. Anything else is returned as
// it is.
func CleanURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return raw
	}
	u.Fragment, u.RawFragment = "", ""
	if u.RawQuery != "" {
		var keep []string
		for _, p := range strings.Split(u.RawQuery, "&") {
			name, _, _ := strings.Cut(p, "=")
			if n, err := url.QueryUnescape(name); err == nil {
				name = n
			}
			if p != "" && !isTracking(name) {
				keep = append(keep, p)
			}
		}
		u.RawQuery = strings.Join(keep, "&")
	}
	u.ForceQuery = false
	return u.String()
}

// Key is a URL's identity for telling whether two links are one story:
// tracking removed, http and https alike, host in lower case without
// "www." or a default port, no trailing slash, the other parameters
// sorted. It is "" for anything but an http(s) URL.
func Key(raw string) string {
	u, err := url.Parse(CleanURL(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	if p := u.Port(); p != "" && p != "80" && p != "443" {
		host += ":" + p
	}
	path := strings.TrimRight(u.EscapedPath(), "/")
	key := host + path
	if u.RawQuery != "" {
		params := strings.Split(u.RawQuery, "&")
		slices.Sort(params)
		key += "?" + strings.Join(params, "&")
	}
	return key
}

// absolute resolves ref against base and returns it if it is an http(s)
// URL with a host, else "".
func absolute(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}
