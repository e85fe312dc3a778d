package content

import "strings"

// Outlet is another outlet's version of a curated story, as digest add
// and digest pull list them in params.also:
//
//	params:
//	  also:
//	    - {name: "Tidewater Times", url: "https://tide.example.net/floods"}
type Outlet struct {
	Name string
	URL  string // http(s), or "" when none was given
}

// AlsoCovered lists the other outlets of params.also that have a name;
// a URL that is not http(s) is left out (the name is kept). The built-in
// theme shows them as "Also covered by" on the article page.
func (a *Article) AlsoCovered() []Outlet {
	list, _ := a.Params["also"].([]any)
	var out []Outlet
	for _, v := range list {
		m, ok := v.(map[string]any)
		if !ok {
			continue
		}
		name, _ := m["name"].(string)
		if name = strings.TrimSpace(dropControls(name)); name == "" {
			continue
		}
		u, _ := m["url"].(string)
		if u = strings.TrimSpace(u); !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
			u = ""
		}
		out = append(out, Outlet{Name: name, URL: u})
	}
	return out
}

// alsoIsWellFormed reports whether every entry of params.also, if it has
// one, is shown.
func alsoIsWellFormed(a *Article) bool {
	v, ok := a.Params["also"]
	if !ok {
		return true
	}
	list, ok := v.([]any)
	if !ok || len(a.AlsoCovered()) != len(list) {
		return false
	}
	for _, o := range list {
		if u, ok := o.(map[string]any)["url"]; ok {
			if s, _ := u.(string); s != "" && !strings.HasPrefix(s, "https://") && !strings.HasPrefix(s, "http://") {
				return false
			}
		}
	}
	return true
}
