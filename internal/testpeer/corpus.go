package testpeer

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
)

// CorpusEntry is one of Google's replies recorded under testdata/google (see
// its README): the body exactly as Google sends it, and where it comes from.
type CorpusEntry struct {
	// Name is the file's path under testdata/google without ".txt", e.g.
	// "smtp/535-bad-credentials".
	Name string
	// Source, Date and Recorded are the header fields of the same names.
	Source, Date, Recorded string
	// Status is the HTTP status of a token endpoint or Gmail API reply (0
	// for SMTP and redirects).
	Status int
	// Body is the reply; SMTP lines are separated by "\n".
	Body string
}

// CorpusDir returns the directory of the corpus, testdata/google at the root
// of the module this file belongs to.
func CorpusDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata", "google")
}

// maxCorpusFile bounds the size of one corpus file.
const maxCorpusFile = 64 << 10

// ReadCorpus reads every entry of the corpus in dir, sorted by name. A file
// without a source, a date, a recorded field of "copied" or "reconstructed",
// or the "---" line is an error.
func ReadCorpus(dir string) ([]CorpusEntry, error) {
	var out []CorpusEntry
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".txt") {
			return err
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s: not a regular file", path)
		}
		b, err := readBounded(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		e, err := parseCorpus(filepath.ToSlash(strings.TrimSuffix(rel, ".txt")), string(b))
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, e)
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

// readBounded reads one corpus file of at most maxCorpusFile bytes: a
// file over that size is an error rather than a cut entry.
func readBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxCorpusFile+1))
	if err == nil && len(b) > maxCorpusFile {
		err = fmt.Errorf("%s: over %d bytes", path, maxCorpusFile)
	}
	return b, err
}

func parseCorpus(name, text string) (CorpusEntry, error) {
	head, body, ok := strings.Cut(text, "\n---\n")
	if !ok {
		return CorpusEntry{}, errors.New(`no "---" line between header and body`)
	}
	e := CorpusEntry{Name: name, Body: strings.TrimSuffix(body, "\n")}
	for _, line := range strings.Split(head, "\n") {
		k, v, ok := strings.Cut(strings.TrimPrefix(line, "# "), ": ")
		if !strings.HasPrefix(line, "# ") || !ok {
			return CorpusEntry{}, fmt.Errorf("header line %q is not \"# key: value\"", line)
		}
		switch k {
		case "source":
			e.Source = v
		case "date":
			e.Date = v
		case "recorded":
			e.Recorded = v
		case "status":
			n, err := strconv.Atoi(v)
			if err != nil {
				return CorpusEntry{}, fmt.Errorf("status %q is not a number", v)
			}
			e.Status = n
		}
	}
	switch {
	case e.Source == "" || e.Date == "":
		return CorpusEntry{}, errors.New("the header lacks source or date")
	case e.Recorded != "copied" && e.Recorded != "reconstructed":
		return CorpusEntry{}, fmt.Errorf("recorded is %q, not copied or reconstructed", e.Recorded)
	case e.Body == "":
		return CorpusEntry{}, errors.New("empty body")
	}
	return e, nil
}

// Says returns the body of the corpus entry name as the peers send it. It
// panics on a name the peers do not know.
func Says(name string) string {
	s, ok := googleSays[name]
	if !ok {
		panic("testpeer: no corpus entry " + name)
	}
	return s.body
}

// saysStatus returns the HTTP status of the corpus entry name (0 for SMTP).
func saysStatus(name string) int {
	if _, ok := googleSays[name]; !ok {
		panic("testpeer: no corpus entry " + name)
	}
	return googleSays[name].status
}

// writeSaid answers an HTTP request with the corpus entry name, byte for
// byte, with its status.
func writeSaid(w http.ResponseWriter, name string) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(saysStatus(name))
	_, _ = io.WriteString(w, Says(name)+"\n")
}
