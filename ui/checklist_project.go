package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/google"
)

// checklistProject is the project ID on the first step's card, with the hint
// under it that says whether the links of the next steps will use it.
type checklistProject struct {
	entry *entry
	hint  *widget.Label
}

// newChecklistProject makes the field; onChanged runs after every change,
// once the hint says what the new text is.
func newChecklistProject(g *gui, onChanged func()) *checklistProject {
	p := &checklistProject{entry: newEntry(g), hint: para("")}
	p.entry.SetPlaceHolder("mailkey-123456")
	p.entry.OnChanged = func(string) {
		p.updateHint()
		onChanged()
	}
	p.updateHint()
	return p
}

// objects are the field's rows on the card.
func (p *checklistProject) objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{widget.NewLabel(tr("checklist.project_id", "Project ID")), p.entry, p.hint}
}

// text is the typed project ID, without the spaces around it.
func (p *checklistProject) text() string { return strings.TrimSpace(p.entry.Text) }

// valid is the typed project ID, or "" while it is not a valid one.
func (p *checklistProject) valid() string {
	if id := p.text(); google.ValidProjectID(id) {
		return id
	}
	return ""
}

func (p *checklistProject) updateHint() {
	id := p.text()
	switch {
	case id == "":
		p.hint.Importance = widget.MediumImportance
		p.hint.SetText(tr("checklist.project_hint.empty", "If you type the project ID here, the links of the next steps open straight in this project."))
	case google.ValidProjectID(id):
		p.hint.Importance = widget.SuccessImportance
		p.hint.SetText(tr("checklist.project_hint.ok", "The links of the next steps will open the project {{.ID}}.", map[string]any{"ID": id}))
	default:
		p.hint.Importance = widget.WarningImportance
		p.hint.SetText(tr("checklist.project_hint.bad", "This is not a project ID. A project ID has 6 to 30 lowercase letters, digits and hyphens, "+
			"starts with a letter and looks like mailkey-123456. Copy it from under the project name, not the name itself."))
	}
}
