package site

// The email edition: for every edition, the same stories as its page as
// a newsletter (email.html, made for mail clients, and email.txt), and
// /editions.xml, a feed of the latest editions whole, which the
// RSS-to-email features of mail services read. A site has them when
// [email] enabled is on (the default) and base_url is absolute: an email
// is read away from the site, so every link in it must be.

// EditionsInFeed is how many editions /editions.xml carries, newest
// first: a week of mornings. Each item is a whole email.
const EditionsInFeed = 7

// HasEmail tells whether the site makes the email edition.
func (s *Site) HasEmail() bool {
	return s.Config.Email.Enabled && s.Config.IsAbsolute()
}

// Stories lists the edition's articles in the order its page shows them:
// the lead story, then each topic's articles in topic order.
func (e *Edition) Stories() []*Article {
	var out []*Article
	if e.Lead != nil {
		out = append(out, e.Lead)
	}
	for _, sec := range e.Sections {
		out = append(out, sec.Articles...)
	}
	return out
}

// emailPages makes the email and its text for every edition, and the
// feed of editions; nil when the site makes no email.
func (s *Site) emailPages() []*Page {
	if !s.HasEmail() {
		return nil
	}
	var out, emails []*Page
	for _, e := range s.Editions {
		email := &Page{Kind: KindEmail, URL: e.URL + "email.html", Edition: e}
		out = append(out, email, &Page{Kind: KindEmailText, URL: e.URL + "email.txt", Edition: e})
		if len(emails) < EditionsInFeed {
			emails = append(emails, email)
		}
	}
	return append(out, &Page{Kind: KindEditionsFeed, URL: "/editions.xml", Entries: emails,
		Title: s.Config.Lang.Text("editions_feed_title", "site", s.Config.Title), Description: s.Config.Lang.Text("editions_feed_description", "site", s.Config.Title)})
}

// Number is a story's place among the edition's Stories, from 1; 0 when
// it is not one of them. The email's text numbers its links with it.
func (e *Edition) Number(a *Article) int {
	if e.Lead != nil && a == e.Lead {
		return 1
	}
	n := 0
	if e.Lead != nil {
		n = 1
	}
	for _, sec := range e.Sections {
		for _, b := range sec.Articles {
			n++
			if a == b {
				return n
			}
		}
	}
	return 0
}
