package shortcode

import (
	"net/url"
	"regexp"
	"strings"
)

// figure writes an image with its caption below it, in italics:
//
//	![alt](src)\
//	*caption*
//
// The alt text is alt=, else the caption or title as plain text; an image
// left without any is converted with a note.
func figure(a args) (rep, note string, ok bool) {
	src := a.get("src", 0)
	if src == "" {
		src = a.first("path", "url", "file")
	}
	if strings.TrimSpace(src) == "" {
		return "", "", false
	}
	alt := a.get("alt", 1)
	caption := joinNonEmpty(" — ", a.first("title"), a.first("caption"), a.first("attr"))
	if alt == "" {
		alt = plain(caption)
	}
	img := "![" + mdText(alt) + "](" + safeURL(src) + ")"
	if link := a.first("link"); link != "" {
		img = "[" + img + "](" + safeURL(link) + ")"
	}
	if caption != "" {
		img += "\\\n" + emphasis(caption)
	}
	if strings.TrimSpace(alt) == "" {
		note = "image without alt text: describe it between the brackets, ![what it shows](…)"
	}
	return img, note, true
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

var mdLink = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)

// plain strips the common Markdown marks from a caption for use as alt
// text: links keep their text, emphasis and code marks go.
func plain(s string) string {
	s = mdLink.ReplaceAllString(s, "$1")
	s = strings.NewReplacer("*", "", "_", "", "`", "", "<", "", ">", "").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

// mdText makes text safe between brackets: on one line, with brackets,
// backslashes and braces escaped (braces so that no tag can form).
func mdText(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.NewReplacer(`\`, `\\`, "[", `\[`, "]", `\]`, "{", `\{`, "}", `\}`).Replace(s)
}

// emphasis sets a caption in italics, on one line, with braces escaped.
// Markdown in it is kept; a caption that already uses both * and _ is
// left upright.
func emphasis(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = strings.NewReplacer("{", `\{`, "}", `\}`).Replace(s)
	switch {
	case !strings.Contains(s, "*"):
		return "*" + s + "*"
	case !strings.Contains(s, "_"):
		return "_" + s + "_"
	}
	return s
}

// safeURL makes a URL safe as a Markdown link destination: the characters
// that would end it or form a tag are percent-encoded.
func safeURL(s string) string {
	return strings.NewReplacer(" ", "%20", "\t", "%09", "\n", "%0A", "\r", "%0D", "(", "%28", ")", "%29",
		"<", "%3C", ">", "%3E", "{", "%7B", "}", "%7D", `\`, "%5C", `"`, "%22").Replace(strings.TrimSpace(s))
}

var (
	videoID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	digits  = regexp.MustCompile(`^[0-9]{1,20}$`)
	nameish = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,100}$`)
)

// youtube links to a video: id= or the first value, a video id or any
// YouTube address; title= names it; start= is kept.
func youtube(a args) (string, bool) {
	id := youtubeID(a.get("id", 0))
	if id == "" {
		return "", false
	}
	u := "https://www.youtube.com/watch?v=" + id
	if start := a.first("start"); digits.MatchString(start) {
		u += "&t=" + start + "s"
	}
	return videoLink(a.first("title"), "YouTube", u), true
}

// youtubeID finds the video id in an id or a YouTube address.
func youtubeID(s string) string {
	s = strings.TrimSpace(s)
	if videoID.MatchString(s) {
		return s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return ""
	}
	id := u.Query().Get("v")
	if id == "" {
		seg := strings.Split(strings.Trim(u.Path, "/"), "/")
		id = seg[len(seg)-1]
	}
	if !videoID.MatchString(id) {
		return ""
	}
	return id
}

// vimeo links to a video: id= or the first value, a number or a Vimeo
// address.
func vimeo(a args) (string, bool) {
	id := strings.TrimSpace(a.get("id", 0))
	if !digits.MatchString(id) {
		seg := strings.Split(strings.Trim(id, "/"), "/")
		id = seg[len(seg)-1]
	}
	if !digits.MatchString(id) {
		return "", false
	}
	return videoLink(a.first("title"), "Vimeo", "https://vimeo.com/"+id), true
}

// videoLink is a plain link to a video: a reader's browser loads nothing
// from the video site until it is clicked.
func videoLink(title, site, u string) string {
	text := "▶ Watch on " + site
	if title = strings.TrimSpace(title); title != "" {
		text = "▶ " + title + " (" + site + ")"
	}
	return "[" + mdText(text) + "](" + safeURL(u) + ")"
}

// gist links to a GitHub gist: Hugo's user and id (and file), Jekyll's
// user/id (and file), or Zola's url= (and file=).
func gist(a args) (string, bool) {
	var base, file string
	switch {
	case a.first("url") != "":
		u, err := url.Parse(a.first("url"))
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return "", false
		}
		base, file = u.String(), a.first("file")
	case strings.Contains(a.get("", 0), "/"):
		user, id, _ := strings.Cut(a.get("", 0), "/")
		if !nameish.MatchString(user) || !nameish.MatchString(id) {
			return "", false
		}
		base, file = "https://gist.github.com/"+user+"/"+id, a.get("file", 1)
	default:
		user, id := a.get("user", 0), a.get("id", 1)
		if id == "" && len(a.pos) == 1 {
			user, id = "", a.pos[0]
		}
		if !nameish.MatchString(id) || (user != "" && !nameish.MatchString(user)) {
			return "", false
		}
		base, file = "https://gist.github.com/"+joinNonEmpty("/", user, id), a.get("file", 2)
	}
	if file != "" {
		base += "#file-" + strings.NewReplacer(".", "-", " ", "-").Replace(strings.ToLower(file))
	}
	return "[" + mdText("View the code on GitHub") + "](" + safeURL(base) + ")", true
}

// tweet links to a post on X (Twitter): user= and id=, an id alone, or
// the post's address.
func tweet(a args) (string, bool) {
	user, id := a.first("user"), a.get("id", 0)
	if u, err := url.Parse(id); err == nil && u.Host != "" {
		seg := strings.Split(strings.Trim(u.Path, "/"), "/")
		if len(seg) < 3 || seg[1] != "status" {
			return "", false
		}
		user, id = seg[0], seg[2]
	}
	if !digits.MatchString(id) || (user != "" && !nameish.MatchString(user)) {
		return "", false
	}
	if user == "" {
		user = "i"
	}
	return "[" + mdText("View the post on X") + "](" + safeURL("https://x.com/"+user+"/status/"+id) + ")", true
}

// instagram links to an Instagram post by its id.
func instagram(a args) (string, bool) {
	id := a.get("id", 0)
	if !videoID.MatchString(id) {
		return "", false
	}
	return "[" + mdText("View the post on Instagram") + "](https://www.instagram.com/p/" + id + "/)", true
}
