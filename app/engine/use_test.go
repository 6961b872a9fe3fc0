package engine_test

import (
	"sync"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/engine/enginetest"
)

// Use swaps the clock and the browser while other goroutines run the
// engine's operations (the screenshot hooks do, on a window's engine): under
// -race, the swap and the reads do not race, and each read sees a whole
// clock.
func TestUseSwapsWhileInUse(t *testing.T) {
	env := enginetest.New(t, enginetest.InMemory())
	e := env.Engine
	if _, err := e.LoginAppPassword(t.Context(), enginetest.User, enginetest.AppPassword, env.Gmail.SMTP.StartTLSURL()); err != nil {
		t.Fatal(err)
	}
	day := time.Date(2030, 3, 1, 12, 0, 0, 0, time.UTC) // after the real clock
	e.Use(engine.WithClock(engine.ClockFunc(func() time.Time { return day })))
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			when := day.Add(time.Duration(i) * time.Hour)
			e.Use(engine.WithClock(engine.ClockFunc(func() time.Time { return when })),
				engine.WithBrowser(engine.BrowserFunc(func(string) error { return nil })))
		}
	}()
	for range 200 {
		if now := e.Now(); now.Before(day) {
			t.Fatalf("Now %v: not a swapped clock", now)
		}
		if err := e.Open("https://example.com/"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.List(); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
}
