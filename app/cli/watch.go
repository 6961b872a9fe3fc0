package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/notify"
	"github.com/mailkey-app/mailkey/app/watch"
	"github.com/spf13/cobra"
)

const usageWatch = "mailkey watch [--once [--json]] [--every D]   (reminders before a sign-in ends; keeps OAuth clients alive)"

// errAttention makes 'mailkey watch --once' exit 1: an account needs attention.
var errAttention = advice.Sentinel(advice.Failure, "an account needs attention")

type findingJSON struct {
	watch.Finding
	What string `json:"what"`
	Next string `json:"next,omitempty"`
}

// watchFlags are the flags of 'mailkey watch'.
type watchFlags struct {
	once, asJSON *bool
	every        *time.Duration
	service      *string
}

func watchCommand(env Env) *cobra.Command {
	c := &cobra.Command{
		Use: "watch", Short: "Remind before a sign-in ends; keep OAuth clients in use",
		Long: "Watch checks every account regularly and posts a desktop notification before a sign-in ends or an OAuth " +
			"client goes unused long enough for Google to delete it. It runs in the foreground; --once checks once.",
	}
	fs := c.Flags()
	f := watchFlags{
		once:    fs.Bool("once", false, "check once, print every current finding, exit 1 if any"),
		asJSON:  fs.Bool("json", false, "print the findings as JSON (with --once)"),
		every:   fs.Duration("every", watch.DefaultEvery, "how often to check (at least 1m)"),
		service: fs.String("notify-name", "", "the notification service's bus `NAME`, for tests"),
	}
	_ = fs.MarkHidden("notify-name")
	c.RunE = func(c *cobra.Command, args []string) error { return watchCmd(c.Context(), env, f, args) }
	return withUsage(c, usageWatch)
}

func watchCmd(ctx context.Context, env Env, f watchFlags, args []string) error {
	usage := usageWatch
	once, asJSON, every, service := f.once, f.asJSON, f.every, f.service
	switch {
	case len(args) > 0:
		return usagef(usage, "watch takes no arguments")
	case *asJSON && !*once:
		return usagef(usage, "--json needs --once")
	case *every < time.Minute:
		return usagef(usage, "--every must be at least 1m")
	}
	w, bus, err := newWatcher(ctx, env, *service)
	if err != nil {
		return err
	}
	if bus != nil {
		defer bus.Close()
	}
	if *once {
		found, err := w.Check(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			printFindingsJSON(env.Stdout, found)
		} else {
			printFindings(env.Stdout, found, nil)
		}
		if len(found) > 0 {
			return errAttention
		}
		fmt.Fprintln(env.Stderr, "Every account is fine.")
		return nil
	}
	fmt.Fprintf(env.Stderr, "Watching your accounts every %s (Ctrl-C stops).\n", advice.Duration(*every))
	err = runWatcher(ctx, env, w, bus, *every)
	if errors.Is(err, context.Canceled) {
		return nil // Ctrl-C is how a foreground watch ends
	}
	return err
}

// newWatcher returns the watcher of every account and of the mail queue,
// posting to the notification service named service (the desktop's when
// ""); without one, bus is nil and stderr says so once.
func newWatcher(ctx context.Context, env Env, service string) (*watch.Watcher, *notify.Bus, error) {
	statePath, err := watch.DefaultStatePath()
	if err != nil {
		return nil, nil, err
	}
	w := &watch.Watcher{Engine: env.Engine, StatePath: statePath, Now: env.Engine.Now, Warn: env.Stderr, Local: cliText}
	if q, err := openQueue(); err == nil {
		w.Queue = q
	}
	bus, err := notify.Connect(ctx, service)
	if err != nil {
		fmt.Fprintln(env.Stderr, sentence(advice.What(err))+" "+sentence(nextStep(err)))
		return w, nil, nil
	}
	w.Notifier = bus
	return w, bus, nil
}

// runWatcher checks every `every` until ctx ends, printing each finding
// once on stdout and opening the app on a notification's action.
func runWatcher(ctx context.Context, env Env, w *watch.Watcher, bus *notify.Bus, every time.Duration) error {
	if bus != nil {
		go w.HandleActions(ctx, bus.Invoked(), watch.OpenApp)
	}
	shown := map[string]bool{}
	return w.Run(ctx, every, func(found []watch.Finding, err error) {
		if err != nil {
			fmt.Fprintln(env.Stderr, sentence(advice.What(err)))
			return
		}
		printFindings(env.Stdout, found, shown)
	})
}

// printFindings prints one line per finding; with shown, only those not
// printed before.
func printFindings(w io.Writer, found []watch.Finding, shown map[string]bool) {
	for _, f := range found {
		line := f.Address + ": " + sentence(f.Text.What) + " " + sentence(nextOf(f.Text))
		if shown != nil {
			if shown[line] {
				continue
			}
			shown[line] = true
		}
		fmt.Fprintln(w, line)
	}
}

func printFindingsJSON(w io.Writer, found []watch.Finding) {
	out := make([]findingJSON, 0, len(found))
	for _, f := range found {
		out = append(out, findingJSON{Finding: f, What: f.Text.What, Next: nextOf(f.Text)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(out)
}
