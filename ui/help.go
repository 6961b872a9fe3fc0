package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/google"
)

// helpTitleRunes is the longest accordion title: a header is one line of
// button text and does not wrap, so a long symptom is shortened there and
// shown whole inside.
const helpTitleRunes = 80

// help is the troubleshooting screen: google.Troubles, one entry per symptom,
// filtered as the user types. The search is in memory, on the UI goroutine.
type help struct {
	g      *gui
	shown  []google.Trouble
	search *entry
	list   *widget.Accordion
	// none says that nothing matched.
	none *widget.Label
	root *fyne.Container
	// language is the Language setting, languageNote says when it applies.
	language     *widget.Select
	languageNote *widget.Label
}

func newHelp(g *gui) *help {
	h := &help{g: g, search: newEntry(g), list: widget.NewAccordion(), none: para("")}
	h.search.SetPlaceHolder(tr("help.search", "Search, for example 535, access_denied or app passwords"))
	h.search.OnChanged = h.onSearch
	h.none.Hide()
	h.onSearch("")
	return h
}

func (h *help) content() fyne.CanvasObject {
	top := container.NewVBox(
		h.languageRow(),
		heading(tr("help.title", "Troubleshooting")),
		para(tr("help.intro", "Find what you see on the screen, or search for an error code or a word from the message.")),
		container.NewBorder(nil, nil, widget.NewIcon(theme.SearchIcon()), nil, h.search),
		h.none,
	)
	h.root = container.NewBorder(top, nil, nil, nil, container.NewVScroll(h.list))
	return h.root
}

// onSearch shows the entries that match query; an empty query shows them all.
func (h *help) onSearch(query string) {
	h.shown = searchTroubles(query)
	items := make([]*widget.AccordionItem, len(h.shown))
	for i, t := range h.shown {
		items[i] = widget.NewAccordionItem(helpTitle(t.Symptom), h.detail(t))
	}
	h.list.Items = items
	if len(items) == 1 {
		items[0].Open = true
	}
	h.list.Refresh()
	if len(items) == 0 {
		h.none.SetText(tr("help.none", "No entry matches your search. Try fewer words, or only the error code."))
		h.none.Show()
	} else {
		h.none.Hide()
	}
	if h.root != nil {
		h.root.Refresh() // lay out again for the new list
	}
}

// detail is one entry's body: the whole symptom when the title was shortened,
// the cause, the fix and a link to the page where the fix happens.
func (h *help) detail(t google.Trouble) fyne.CanvasObject {
	box := container.NewVBox()
	if helpTitle(t.Symptom) != t.Symptom {
		box.Add(para(t.Symptom))
	}
	bold := fyne.TextStyle{Bold: true}
	box.Add(widget.NewLabelWithStyle(tr("help.why", "Why it happens"), fyne.TextAlignLeading, bold))
	box.Add(para(t.Cause))
	box.Add(widget.NewLabelWithStyle(tr("help.what_to_do", "What to do"), fyne.TextAlignLeading, bold))
	box.Add(para(t.Fix))
	if t.Link != "" {
		link := t.Link
		open := newButtonWithIcon(h.g, tr("help.open_page", "Open the page"), theme.ComputerIcon(), func() { h.g.open(link) })
		url := widget.NewLabel(link)
		url.Truncation = fyne.TextTruncateEllipsis
		box.Add(container.NewBorder(nil, nil, open, nil, url))
	}
	return box
}

// helpTitle shortens a symptom to fit an accordion header, at a word boundary.
func helpTitle(s string) string {
	r := []rune(s)
	if len(r) <= helpTitleRunes {
		return s
	}
	cut := helpTitleRunes - 1
	for i := cut; i > helpTitleRunes/2; i-- {
		if r[i] == ' ' {
			cut = i
			break
		}
	}
	return string(r[:cut]) + "…"
}
