package ui

import (
	"net/url"
	"regexp"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// A long URL in an error or advice would run off a small screen, and a
// wrapped one cannot be read or copied: the text shows it shortened
// (scheme, host, …, last part of the path), and a linkBar under the text
// opens or copies the whole one (issue 11, defect 8).

// shortURLRunes is the length above which a URL is shown shortened.
const shortURLRunes = 48

var urlPattern = regexp.MustCompile(`https?://[^\s"'<>]+`)

// findURLs returns the URLs in text, without the punctuation that ends a
// sentence after them.
func findURLs(text string) []string {
	var out []string
	for _, u := range urlPattern.FindAllString(text, -1) {
		out = append(out, strings.TrimRight(u, ".,;:)!?"))
	}
	return out
}

// shortURL is u shortened for display when it is long: scheme://host/…/last.
func shortURL(u string) string {
	if len([]rune(u)) <= shortURLRunes {
		return u
	}
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		r := []rune(u)
		return string(r[:shortURLRunes-1]) + "…"
	}
	last := ""
	if parts := strings.Split(strings.Trim(p.Path, "/"), "/"); len(parts) > 0 && parts[len(parts)-1] != "" {
		last = parts[len(parts)-1]
	}
	if r := []rune(last); len(r) > 24 {
		last = string(r[:23]) + "…"
	}
	if last == "" {
		return p.Scheme + "://" + p.Host + "/…"
	}
	return p.Scheme + "://" + p.Host + "/…/" + last
}

// shortenURLs returns text with its long URLs shortened, and those URLs whole.
func shortenURLs(text string) (string, []string) {
	var long []string
	for _, u := range findURLs(text) {
		if s := shortURL(u); s != u {
			text = strings.ReplaceAll(text, u, s)
			long = append(long, u)
		}
	}
	return text, long
}

// linkBar holds, under a text, a button per long URL in it: the button
// shows the shortened URL and opens the whole one, or offers to copy it
// when no browser opens (gui.open).
type linkBar struct {
	g   *gui
	box *fyne.Container
}

func newLinkBar(g *gui) *linkBar {
	l := &linkBar{g: g, box: container.NewVBox()}
	l.box.Hide()
	return l
}

// set shows the buttons for the long URLs of text, the text before it was
// shortened; none hides the bar.
func (l *linkBar) set(text string) {
	_, long := shortenURLs(text)
	l.box.RemoveAll()
	for _, u := range long {
		full := u
		b := newButtonWithIcon(l.g, shortURL(full), theme.ComputerIcon(), func() { l.g.open(full) })
		c := newButtonWithIcon(l.g, tr("link.copy", "Copy link"), theme.ContentCopyIcon(), func() { l.g.app.Clipboard().SetContent(full) })
		l.box.Add(container.NewHBox(b, c))
	}
	if len(long) == 0 {
		l.box.Hide()
	} else {
		l.box.Show()
	}
}
