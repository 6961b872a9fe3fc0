package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// languageRow is the Language setting at the top of the Help screen, with
// the keyboard shortcuts under it:
// System (the system locale), English or Français, saved in the app's
// Preferences. The screens built afterwards are not rebuilt live: the
// choice applies at the next start, and the note says so.
func (h *help) languageRow() fyne.CanvasObject {
	choices := languageChoices()
	names := make([]string, len(choices))
	selected := choices[0].name
	saved := h.g.app.Preferences().String(prefLanguage)
	for i, c := range choices {
		names[i] = c.name
		if c.code == saved {
			selected = c.name
		}
	}
	h.languageNote = para(languageNote())
	h.languageNote.Importance = widget.LowImportance
	h.languageNote.Hide()
	h.language = widget.NewSelect(names, nil)
	h.language.SetSelected(selected)
	h.language.OnChanged = h.onLanguage
	label := widget.NewLabelWithStyle(tr("settings.language", "Language"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	// The keyboard shortcuts, where a person looks for them (F1 opens this screen).
	keys := para(tr("help.keys", "Keys: Tab moves to the next control and Space presses it; Ctrl+N writes a new message; "+
		"in Compose, Ctrl+O adds a file and Ctrl+Enter sends; Escape goes back or closes a dialog; F1 opens this screen."))
	return container.NewVBox(container.NewHBox(label, h.language), h.languageNote, keys)
}

// onLanguage saves the chosen language for the next start.
func (h *help) onLanguage(name string) {
	for _, c := range languageChoices() {
		if c.name == name {
			h.g.app.Preferences().SetString(prefLanguage, c.code)
		}
	}
	h.languageNote.Show()
}
