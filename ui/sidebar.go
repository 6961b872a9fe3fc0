package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/setup"
)

// sidebar lists the accounts with their status, with "Add account" below.
type sidebar struct {
	g     *gui
	infos []engine.Info
	list  *widget.List
	note  *widget.Label
	// resume offers to continue the Google Cloud checklist where it stopped.
	resume *button
	// quiet is set while the list's selection follows the screen on show.
	quiet bool
}

func newSidebar(g *gui) *sidebar {
	s := &sidebar{g: g, note: widget.NewLabel("")}
	s.resume = newButtonWithIcon(g, "", theme.MediaPlayIcon(), func() { g.navigate(g.showChecklist) })
	s.resume.Hide()
	s.note.Wrapping = fyne.TextWrapWord
	s.list = widget.NewList(
		func() int { return len(s.infos) },
		func() fyne.CanvasObject {
			return container.NewVBox(widget.NewLabelWithStyle("address", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), widget.NewLabel("status"))
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(s.infos) {
				return
			}
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(s.infos[id].Address)
			box.Objects[1].(*widget.Label).SetText(s.g.accountBadge(s.infos[id].Address, statusText(s.infos[id]))) // watch.go
		})
	s.list.OnSelected = func(id widget.ListItemID) {
		if s.quiet || id >= len(s.infos) {
			return
		}
		addr := s.infos[id].Address
		g.navigate(func() { g.showAccount(addr) })
	}
	return s
}

// highlight selects addr in the list ("" for none) without opening it.
func (s *sidebar) highlight(addr string) {
	s.quiet = true
	defer func() { s.quiet = false }()
	for i, in := range s.infos {
		if addr != "" && in.Address == addr {
			s.list.Select(i)
			return
		}
	}
	s.list.UnselectAll()
}

// keepSelection puts the selection back on the screen on show, after the
// user chose to stay on it.
func (s *sidebar) keepSelection() {
	if a, ok := s.g.stage.current.(*accountScreen); ok {
		s.highlight(a.addr)
		return
	}
	s.highlight("")
}

// has reports whether addr is one of the accounts.
func (s *sidebar) has(addr string) bool {
	for _, in := range s.infos {
		if account.Same(in.Address, addr) {
			return true
		}
	}
	return false
}

func (s *sidebar) content() fyne.CanvasObject {
	add := newButtonWithIcon(s.g, tr("sidebar.add_account", "Add account"), theme.ContentAddIcon(), func() { s.g.navigate(s.g.showWelcome) })
	help := newButtonWithIcon(s.g, tr("sidebar.help", "Help"), theme.HelpIcon(), func() { s.g.navigate(s.g.showHelp) })
	help.Button.Importance = widget.LowImportance
	title := widget.NewLabelWithStyle(tr("sidebar.accounts", "Accounts"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewBorder(title, container.NewVBox(s.note, s.resume, add, help), nil, nil, s.list)
}

// reload reads the accounts off the UI goroutine. With first, it also picks
// the first screen: the welcome screen when there is no account yet.
func (s *sidebar) reload(first bool) {
	type loaded struct {
		list     []engine.Info
		progress setup.Progress
	}
	run(s.g.tasks, func() (loaded, error) {
		list, err := s.g.eng.List()
		return loaded{list, s.g.progress.Load()}, err
	}, func(l loaded, err error) {
		list := l.list
		s.showResume(l.progress, list)
		if err != nil {
			s.note.SetText(errorText(err))
			list = nil
		} else {
			s.note.SetText("")
		}
		s.infos = list
		s.list.Refresh()
		if !first {
			return
		}
		if len(list) == 0 {
			s.g.showWelcome()
			return
		}
		s.g.showAccount(list[0].Address)
	})
}

// selectAddress highlights addr in the list, if present, without reloading.
func (s *sidebar) selectAddress(addr string) { s.highlight(addr) }

// showResume offers "Continue setting up (step N of 7)" while the Google
// Cloud checklist is under way and no OAuth account has been added yet.
func (s *sidebar) showResume(p setup.Progress, list []engine.Info) {
	s.resume.Hide()
	for _, in := range list {
		if in.Method == account.OAuth {
			return
		}
	}
	n := 0
	for i, st := range google.ConsoleSteps {
		if st.ID == p.Step {
			n = i + 1
		}
	}
	if n == 0 && len(p.Done) > 0 {
		n = len(p.Done) + 1
	}
	if n == 0 || n > len(google.ConsoleSteps) {
		return
	}
	s.resume.SetText(tr("sidebar.resume", "Continue setting up (step {{.Step}} of {{.Steps}})",
		map[string]any{"Step": n, "Steps": len(google.ConsoleSteps)}))
	s.resume.Show()
}
