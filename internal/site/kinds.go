package site

// Kind names what a page shows. It is also the name of the template that
// renders it, without ".html", when the page is made from a template.
type Kind string

// The kinds of page. Each is described once, in kinds below.
const (
	KindHome       Kind = "home"
	KindEdition    Kind = "edition"
	KindArticle    Kind = "article"
	KindTopicIndex Kind = "topics"
	KindTopic      Kind = "topic"
	KindTagIndex   Kind = "tags"
	KindTag        Kind = "tag"
	KindArchive    Kind = "archive"
	KindNotFound   Kind = "404"
	KindFeeds      Kind = "feeds" // the HTML list of feeds
	KindSearch     Kind = "search"

	// Pages that are not HTML, made by package render without templates.
	KindRSS          Kind = "rss"
	KindAtom         Kind = "atom"
	KindJSONFeed     Kind = "jsonfeed"
	KindOPML         Kind = "opml"
	KindSitemap      Kind = "sitemap"
	KindSitemapIndex Kind = "sitemapindex"
	KindNewsSitemap  Kind = "newssitemap"
	KindRobots       Kind = "robots"
	KindFavicon      Kind = "favicon"   // the site's icon, from its title
	KindRedirect     Kind = "redirect"  // an old address of an article (its aliases)
	KindRedirects    Kind = "redirects" // every redirect, for Netlify and Cloudflare Pages

	// The email edition: each day's edition as a newsletter, its plain
	// text, and a feed of whole editions for mail services.
	KindEmail        Kind = "email"        // made from templates/email.html within email-base.html
	KindEmailText    Kind = "email-text"   // made by Go code from templates/email.txt
	KindEditionsFeed Kind = "editions"     // RSS: one item an edition, the email as content
	KindSearchMeta   Kind = "searchmeta"   // what the search script reads first
	KindSearchShard  Kind = "searchshard"  // one file of the search index
	KindSearchScript Kind = "searchscript" // the search page's script
)

// ModifiedFrom says where a page's modified time (Page.Modified) comes
// from.
type ModifiedFrom int

// The sources of a page's modified time.
const (
	modifiedUnset ModifiedFrom = iota // a KindInfo that forgot to say: a test fails
	// ModifiedNever: the page has none.
	ModifiedNever
	// ModifiedShown: the newest change (date or correction) to the
	// articles it shows: its article, edition, list page or feed items;
	// every article when it shows none of those.
	ModifiedShown
	// ModifiedListed: the newest of the pages it lists (a sitemap).
	ModifiedListed
)

// Media types of the pages, as the dev server sends them and static
// hosts send them for the files' extensions.
const (
	mediaHTML = "text/html; charset=utf-8"
	mediaXML  = "text/xml; charset=utf-8"
	mediaText = "text/plain; charset=utf-8"
	mediaJSON = "application/json"
	mediaSVG  = "image/svg+xml"
)

// KindInfo is everything the rest of the code asks about one kind of
// page. Adding a kind is one entry in kinds, plus its template
// (templates/<kind>.html) when Template is set, or its generator in
// package render otherwise; tests fail when either is missing or an
// entry leaves a field unset.
type KindInfo struct {
	Kind Kind
	// Route is the pattern of its URLs (site-relative): YYYY, MM and DD
	// stand for a date, <slug> for a URL segment, <n> for a number,
	// <path> for any path, and [...] for a part that only some pages of
	// the kind have.
	Route string
	// MediaType is the Content-Type it is served with.
	MediaType string
	// Template: an HTML page made from templates/<kind>.html within its
	// Layout; otherwise made by Go code in package render.
	Template bool
	// Sitemap: listed in the sitemap.
	Sitemap bool
	// Modified is where Page.Modified comes from.
	Modified ModifiedFrom
	// Patchable: the kind's pages, and which of them exist, depend on the
	// articles' placement only, so a new version of an article that keeps
	// its place (content.SamePlace) is put into the model without
	// rebuilding it (see Site.Retarget). A kind whose pages depend on
	// what articles say (say, an index split by the words in them) is
	// not: a site with such pages builds a new model on every edit.
	Patchable bool
	// Layout is the template a Template kind's pages are executed as,
	// whose blocks the kind's template fills: "" is base.html, the web
	// pages' layout.
	Layout string
}

// kinds describes every kind of page, in the order of the route table.
var kinds = []KindInfo{
	{Kind: KindHome, Route: "/", MediaType: mediaHTML, Template: true, Sitemap: true, Modified: ModifiedShown, Patchable: true},
	{Kind: KindTopicIndex, Route: "/topics/", MediaType: mediaHTML, Template: true, Sitemap: true, Modified: ModifiedShown, Patchable: true},
	{Kind: KindTagIndex, Route: "/tags/", MediaType: mediaHTML, Template: true, Sitemap: true, Modified: ModifiedShown, Patchable: true},
	{Kind: KindArchive, Route: "/archive/", MediaType: mediaHTML, Template: true, Sitemap: true, Modified: ModifiedShown, Patchable: true},
	{Kind: KindNotFound, Route: "/404.html", MediaType: mediaHTML, Template: true, Sitemap: false, Modified: ModifiedShown, Patchable: true},
	{Kind: KindEdition, Route: "/YYYY/MM/DD/", MediaType: mediaHTML, Template: true, Sitemap: true, Modified: ModifiedShown, Patchable: true},
	{Kind: KindArticle, Route: "/YYYY/MM/DD/<slug>/", MediaType: mediaHTML, Template: true, Sitemap: true, Modified: ModifiedShown, Patchable: true},
	{Kind: KindTopic, Route: "/topics/<slug>/[page/<n>/]", MediaType: mediaHTML, Template: true, Sitemap: true, Modified: ModifiedShown, Patchable: true},
	{Kind: KindTag, Route: "/tags/<slug>/[page/<n>/]", MediaType: mediaHTML, Template: true, Sitemap: true, Modified: ModifiedShown, Patchable: true},
	{Kind: KindFeeds, Route: "/feeds/", MediaType: mediaHTML, Template: true, Sitemap: true, Modified: ModifiedShown, Patchable: true},
	{Kind: KindRSS, Route: "[/topics/<slug>]/feed.xml", MediaType: mediaXML, Modified: ModifiedShown, Patchable: true},
	{Kind: KindAtom, Route: "[/topics/<slug>]/atom.xml", MediaType: mediaXML, Modified: ModifiedShown, Patchable: true},
	{Kind: KindJSONFeed, Route: "[/topics/<slug>]/feed.json", MediaType: "application/feed+json", Modified: ModifiedShown, Patchable: true},
	{Kind: KindOPML, Route: "/feeds.opml", MediaType: mediaXML, Modified: ModifiedShown, Patchable: true},
	{Kind: KindSitemap, Route: "/sitemap[-<n>].xml", MediaType: mediaXML, Modified: ModifiedListed, Patchable: true},
	{Kind: KindSitemapIndex, Route: "/sitemap.xml", MediaType: mediaXML, Modified: ModifiedNever, Patchable: true},
	{Kind: KindNewsSitemap, Route: "/news-sitemap.xml", MediaType: mediaXML, Modified: ModifiedNever, Patchable: true},
	{Kind: KindRobots, Route: "/robots.txt", MediaType: mediaText, Modified: ModifiedNever, Patchable: true},
	{Kind: KindFavicon, Route: "/favicon.svg", MediaType: mediaSVG, Modified: ModifiedNever, Patchable: true},
	{Kind: KindRedirect, Route: "<path>", MediaType: mediaHTML, Modified: ModifiedNever, Patchable: true},
	{Kind: KindRedirects, Route: "/_redirects", MediaType: mediaText, Modified: ModifiedNever, Patchable: true},
	{Kind: KindEmail, Route: "/YYYY/MM/DD/email.html", MediaType: mediaHTML, Template: true, Layout: "email-base.html", Modified: ModifiedShown, Patchable: true},
	{Kind: KindEmailText, Route: "/YYYY/MM/DD/email.txt", MediaType: mediaText, Modified: ModifiedShown, Patchable: true},
	{Kind: KindEditionsFeed, Route: "/editions.xml", MediaType: mediaXML, Modified: ModifiedListed, Patchable: true},
	// The search index's files are fixed by the number of articles alone
	// (see search.Layout), so they stay patchable; their content comes
	// from the model's current version (see Site.Memo).
	{Kind: KindSearch, Route: "/search/", MediaType: mediaHTML, Template: true, Sitemap: false, Modified: ModifiedNever, Patchable: true},
	{Kind: KindSearchMeta, Route: "/search/index.json", MediaType: mediaJSON, Modified: ModifiedNever, Patchable: true},
	{Kind: KindSearchShard, Route: "/search/<slug>/<n>.json", MediaType: mediaJSON, Modified: ModifiedNever, Patchable: true},
	{Kind: KindSearchScript, Route: "/search/search.js", MediaType: "text/javascript; charset=utf-8", Modified: ModifiedNever, Patchable: true},
}

// kindIndex finds a kind's entry in kinds.
var kindIndex = func() map[Kind]*KindInfo {
	m := make(map[Kind]*KindInfo, len(kinds))
	for i := range kinds {
		m[kinds[i].Kind] = &kinds[i]
	}
	return m
}()

// Kinds lists every kind of page, in the order of the route table. The
// result is a copy.
func Kinds() []KindInfo { return append([]KindInfo(nil), kinds...) }

// Info describes the kind. An unknown kind has an empty KindInfo.
func (k Kind) Info() KindInfo {
	if info := kindIndex[k]; info != nil {
		return *info
	}
	return KindInfo{Kind: k}
}

// IsHTML reports whether pages of this kind are HTML made from templates.
func (k Kind) IsHTML() bool { return kindIndex[k] != nil && kindIndex[k].Template }
