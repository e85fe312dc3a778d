package pipeline

import (
	"io/fs"
	"path"
	"strconv"

	"github.com/digest-ssg/digest/internal/buildcache"
	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/content"
	"github.com/digest-ssg/digest/internal/publish"
)

// The build cache (Options.Cache) keeps each article as parsed: front
// matter decoded, body converted and minified, word count, summary and
// plain text, so that a build reads an unchanged article's entry instead
// of parsing it, and, when the file's stamp is as it was (see
// buildcache.Stamp), instead of reading the file. The entries are in one
// file, the variant's articles log (see buildcache.Log). An entry's key is
// made of the article's path and bytes and of the variant, which names
// everything else a parse depends on (cacheVariant). Deleting the cache
// changes nothing but the time a build takes.

// i18nDir holds a site's translation tables, which a parse may read.
const i18nDir = "i18n"

// openCache opens the cache of parsed articles for the settings loaded,
// and returns it with its variant key; nil when the session builds
// without a cache, or the program cannot be identified.
func (s *Session) openCache(minified bool) (*buildcache.Cache, []byte) {
	if s.opt.Cache == "" {
		return nil, nil
	}
	if !s.programSet {
		s.programSet = true
		s.program, s.programErr = buildcache.ProgramKey()
	}
	if s.programErr != nil {
		return nil, nil
	}
	k := s.cacheVariant(minified)
	return buildcache.Open(s.opt.Cache, k), k[:]
}

// cacheVariant hashes what every article's parse depends on besides its
// own file: the program (and the layout of content.Article), site.toml
// and the translation tables as they are on disk, --base-url, and
// whether bodies are minified.
func (s *Session) cacheVariant(minified bool) buildcache.Key {
	parts := [][]byte{s.program[:], []byte(content.Schema()), []byte(s.opt.BaseURL), []byte(strconv.FormatBool(minified))}
	parts = append(parts, fileOrNothing(s.fsys, config.File))
	if names, err := fs.Glob(s.fsys, path.Join(i18nDir, "*")); err == nil {
		for _, n := range names {
			parts = append(parts, []byte(n), fileOrNothing(s.fsys, n))
		}
	}
	return buildcache.NewKey(parts...)
}

// fileOrNothing is, for the key, a file's bytes after a 1, or a 0 when
// it cannot be read.
func fileOrNothing(fsys fs.FS, name string) []byte {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return []byte{0}
	}
	return append([]byte{1}, b...)
}

// PruneCache removes from the cache what loading this site did not use:
// the entries of deleted and edited articles (see buildcache.Cache.Prune).
// A build prunes once it has published; the dev server, once it has
// loaded the site.
func (l *Loaded) PruneCache() {
	if l.cache != nil {
		l.log.Prune()
		l.cache.Prune()
	}
}

// folderListings keeps the records of output folders (publish.Store) in
// the build cache; nil without a cache.
func (l *Loaded) folderListings() publish.Store {
	if l.cache == nil {
		return nil
	}
	return cacheStore{l.cache}
}

// cacheStore is a build cache as a publish.Store.
type cacheStore struct{ c *buildcache.Cache }

func (s cacheStore) key(k string) buildcache.Key {
	return buildcache.NewKey([]byte("output folder listing 1"), []byte(k))
}

func (s cacheStore) Get(k string) ([]byte, bool) { return s.c.Get(s.key(k)) }
func (s cacheStore) Put(k string, data []byte)   { s.c.Put(s.key(k), data) }
func (s cacheStore) Keep(k string)               { s.c.Keep(s.key(k)) }
