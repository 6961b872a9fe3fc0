package testpeer

import (
	"io"
	"net/http"
	"time"
)

// BrowseResult is what the stand-in browser saw at the end of its redirects.
type BrowseResult struct {
	Status int
	Body   string
	Err    error
}

// Browse stands in for the system browser: in the background it fetches url
// and follows redirects (the provider's redirect to the loopback callback),
// like a browser on which the user is already signed in. It returns at once,
// as a real browser opener does.
func Browse(url string) error {
	go func() { _ = Fetch(url) }()
	return nil
}

// Fetch fetches url following redirects and returns the final page.
func Fetch(url string) BrowseResult {
	c := &http.Client{Timeout: 30 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return BrowseResult{Err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return BrowseResult{Status: resp.StatusCode, Body: string(b), Err: err}
}
