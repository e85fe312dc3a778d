package importer

import (
	"path"
	"strings"
)

// linkIndex finds the post a link of the old site names: Hugo's ref and
// relref, Jekyll's post_url and link, Zola's @/ links.
type linkIndex struct {
	byPath map[string]*post   // lower-case paths and names → the post
	byName map[string][]*post // lower-case file names → the posts with that name
}

func newLinkIndex(posts []*post) *linkIndex {
	x := &linkIndex{byPath: map[string]*post{}, byName: map[string][]*post{}}
	for _, ps := range posts {
		for _, k := range pathKeys(ps) {
			k = strings.ToLower(k)
			if _, ok := x.byPath[k]; !ok {
				x.byPath[k] = ps
			}
		}
		for _, n := range []string{ps.stem, path.Base(ps.file)} {
			n = strings.ToLower(n)
			x.byName[n] = append(x.byName[n], ps)
		}
	}
	return x
}

// pathKeys are the paths a link may name a post by: its file from the
// source's root, and from its content folder (content/, _posts/, the
// input folder), each with and without the extension; a bundle by its
// folder.
func pathKeys(ps *post) []string {
	var keys []string
	for _, p := range []string{ps.file, ps.rel} {
		if p == "" {
			continue
		}
		keys = append(keys, p, strings.TrimSuffix(p, path.Ext(p)))
		if ps.bundle != "" {
			keys = append(keys, path.Dir(p))
		}
	}
	return keys
}

// resolver returns the function that resolves the links of post from.
func (x *linkIndex) resolver(from *post) func(kind, target string) (string, bool) {
	return func(kind, target string) (string, bool) {
		target, frag, _ := strings.Cut(strings.TrimSpace(target), "#")
		ps := x.find(kind, target, from)
		if ps == nil {
			if target == "" && frag != "" && (kind == "ref" || kind == "relref") {
				ps = from // {{< ref "#anchor" >}}: this page
			} else {
				return "", false
			}
		}
		u := ps.url
		if frag != "" {
			u += "#" + frag
		}
		return u, true
	}
}

// find looks a link's target up: as a path from the root, then (Hugo)
// relative to the linking post's folder, then by file name if only one
// post has it.
func (x *linkIndex) find(kind, target string, from *post) *post {
	t := strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(target, "/"), "/"))
	if t == "" {
		return nil
	}
	if ps := x.byPath[t]; ps != nil {
		return ps
	}
	if (kind == "ref" || kind == "relref") && !strings.HasPrefix(target, "/") && from.rel != "" {
		if ps := x.byPath[path.Join(strings.ToLower(path.Dir(from.rel)), t)]; ps != nil {
			return ps
		}
	}
	if kind == "link" {
		return nil // Jekyll's link names a file exactly
	}
	if l := x.byName[path.Base(t)]; len(l) == 1 {
		return l[0]
	}
	return nil
}
