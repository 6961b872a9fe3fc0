package e2e

import (
	"math/rand"
	"os"
	"strconv"
	"testing"
	"time"
)

// monkeyKeys are the keys the monkey presses: movement, activation, text,
// and the app's shortcuts. Nothing closes the window.
var monkeyKeys = []string{
	"Tab", "shift+Tab", "space", "Return", "Escape", "Up", "Down", "Left", "Right",
	"BackSpace", "a", "z", "at", "period", "1", "ctrl+n", "ctrl+o", "ctrl+Return", "F1", "ctrl+a", "ctrl+c", "ctrl+v",
}

// TestMonkey clicks and types at random for about 60 s, a share on every
// screen, against the stand-ins: the app must not panic or end. The seed is
// fixed (MAILKEY_MONKEY_SEED changes it) and logged, so a failure replays.
func TestMonkey(t *testing.T) {
	seed := int64(11)
	if v, err := strconv.ParseInt(os.Getenv("MAILKEY_MONKEY_SEED"), 10, 64); err == nil {
		seed = v
	}
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewSource(seed))
	s := newSession(t)
	s.addAppPasswordAccount(s.gm.SMTP.StartTLSURL())
	s.start()
	s.waitTitle(ann)
	w, h := s.geometry()
	// Each entry brings one screen up from wherever the last one left off.
	screens := []struct {
		name string
		open func()
	}{
		{"account", func() { s.key("Escape", "Escape"); s.click(60, 60) }},
		{"compose", func() { s.key("Escape"); s.click(60, 60); s.key("ctrl+n") }},
		{"help", func() { s.key("Escape", "F1") }},
		{"welcome", func() { s.key("Escape"); s.clickAddAccount() }},
		{"app-password", func() { s.key("Escape"); s.clickAddAccount(); s.key("space") }},
		{"checklist", func() { s.key("Escape"); s.clickAddAccount(); s.key("Tab", "space") }},
	}
	per := 60 * time.Second / time.Duration(len(screens))
	events := 0
	for _, sc := range screens {
		sc.open()
		s.alive()
		end := time.Now().Add(per)
		for time.Now().Before(end) {
			if rng.Intn(3) == 0 {
				s.xdo("mousemove", "--window", s.win, strconv.Itoa(rng.Intn(w)), strconv.Itoa(rng.Intn(h)), "click", "1")
			} else {
				s.xdo("key", "--clearmodifiers", monkeyKeys[rng.Intn(len(monkeyKeys))])
			}
			events++
			time.Sleep(time.Duration(40+rng.Intn(80)) * time.Millisecond)
			if s.exited() {
				t.Fatalf("the app ended on the %s screen after %d events:\n%s", sc.name, events, s.out.String())
			}
		}
	}
	t.Logf("%d events", events)
	s.settle()
	s.alive()
}
