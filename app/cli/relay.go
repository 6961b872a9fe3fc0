package cli

import (
	"context"
	"fmt"
	"log"
	"net"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/relay"
	"github.com/mailkey-app/mailkey/app/watch"
	"github.com/spf13/cobra"
)

const usageRelay = "mailkey relay [--listen ADDR]   (default " + relay.DefaultListen + ")\n" +
	"       mailkey relay add-password ADDR LABEL | relay passwords [ADDR] | relay remove-password ADDR LABEL\n" +
	"       mailkey relay enable [--listen ADDR] | relay disable | relay status"

// errRelayStopped is 'relay status' when no relay runs.
var errRelayStopped = advice.Sentinel(advice.Failure, "the relay is not running")

func relayCommand(env Env) *cobra.Command {
	c := &cobra.Command{
		Use: "relay", Short: "Run the local SMTP relay, and manage its device passwords",
		Long: "Relay runs a local SMTP server that programs and devices log in to with an account's address and a relay " +
			"password; it sends as that account, and queues what cannot be sent yet.",
	}
	withListen(c, "unknown relay command %q", func(ctx context.Context, listen string) error { return runRelay(ctx, env, listen) })
	enable := withListen(&cobra.Command{Use: "enable", Short: "Start the relay now and at every login (systemd user service, else autostart)"},
		"unexpected argument %q", func(ctx context.Context, listen string) error { return relayEnable(ctx, env, listen) })
	c.AddCommand(
		&cobra.Command{
			Use: "add-password ADDR LABEL", ValidArgsFunction: completeAccounts(env), Short: "Create a relay password for a device or program (shown once)",
			RunE: func(c *cobra.Command, args []string) error { return relayAddPassword(c.Context(), env, args) },
		},
		&cobra.Command{
			Use: "passwords [ADDR]", ValidArgsFunction: completeAccounts(env), Short: "List the relay passwords, without the passwords",
			RunE: func(c *cobra.Command, args []string) error { return relayPasswords(env, args) },
		},
		&cobra.Command{
			Use: "remove-password ADDR LABEL", Short: "Revoke a relay password",
			RunE: func(c *cobra.Command, args []string) error { return relayRemovePassword(c.Context(), env, args) },
		},
		enable,
		&cobra.Command{
			Use: "disable", Short: "Stop starting the relay at login",
			RunE: func(c *cobra.Command, args []string) error { return relayDisable(c.Context(), env, args) },
		},
		&cobra.Command{
			Use: "status", Short: "Say whether the relay runs and starts at login",
			RunE: func(c *cobra.Command, args []string) error { return relayStatus(env, args) },
		},
	)
	return withUsage(c, usageRelay)
}

func relayRemovePassword(ctx context.Context, env Env, args []string) error {
	if len(args) != 2 {
		return usagef(usageRelay, "relay remove-password takes an address and a label")
	}
	if err := passwords(env).Remove(ctx, args[0], args[1]); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "Removed the relay password %s of %s: it no longer logs in.\n", args[1], args[0])
	return nil
}

// withListen gives c the flag --listen and runs body with its value, checked;
// an argument is a usage error, which extra says with the argument.
func withListen(c *cobra.Command, extra string, body func(ctx context.Context, listen string) error) *cobra.Command {
	listen := c.Flags().String("listen", relay.DefaultListen, "listen on `HOST:PORT` (0.0.0.0:2525 for the devices of the network)")
	c.RunE = func(c *cobra.Command, args []string) error {
		if len(args) > 0 {
			return usagef(usageRelay, extra, args[0])
		}
		addr, err := checkListen(*listen)
		if err != nil {
			return err
		}
		return body(c.Context(), addr)
	}
	return c
}

// checkListen checks the value of --listen.
func checkListen(listen string) (string, error) {
	if _, port, err := net.SplitHostPort(listen); err != nil || port == "" {
		return "", usagef(usageRelay, "--listen takes HOST:PORT, such as %s or 0.0.0.0:2525", relay.DefaultListen)
	}
	return listen, nil
}

func passwords(env Env) *relay.Passwords {
	return relay.PasswordsOf(env.Engine)
}

// relayDir is the relay's state dir, beside the queue.
func relayDir() (string, error) { return relay.DefaultDir() }

func runRelay(ctx context.Context, env Env, listen string) error {
	q, err := openQueue()
	if err != nil {
		return err
	}
	dir, _ := relayDir()
	var hosts []string
	if host, _, _ := net.SplitHostPort(listen); !relay.Loopback(listen) && host != "" && net.ParseIP(host) != nil && !net.ParseIP(host).IsUnspecified() {
		hosts = append(hosts, host)
	}
	cert, err := relay.LoadCertificate(dir, hosts)
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", listen)
	if err != nil {
		return advice.New(err, fmt.Sprintf("the relay cannot listen on %s (%v)", listen, err),
			"Is another relay running? See 'mailkey relay status', or choose another port with --listen")
	}
	addr := l.Addr().String()
	fmt.Fprintf(env.Stderr, "mailkey relay listens on %s.\n", addr)
	fmt.Fprintln(env.Stderr, "Programs log in with an account's address and a relay password ('mailkey relay add-password ADDR LABEL').")
	fmt.Fprintf(env.Stderr, "STARTTLS certificate: %s\nSHA-256 fingerprint: %s\n", cert.Path, cert.Fingerprint)
	if !relay.Loopback(addr) {
		fmt.Fprintf(env.Stderr, "Warning: the relay is reachable from other computers on %s. There it takes logins only after STARTTLS;"+
			" check the fingerprint above on each device.\n", addr)
	}
	if err := relay.WriteStatus(dir, relay.Status{PID: os.Getpid(), Listen: addr, Started: q.Now().UTC(), Fingerprint: cert.Fingerprint}); err != nil {
		fmt.Fprintf(env.Stderr, "Warning: 'mailkey relay status' will not see this relay: %v\n", err)
	}
	defer relay.ClearStatus(dir, os.Getpid())
	srv := &relay.Server{
		Engine: env.Engine, Queue: q, Passwords: passwords(env), Cert: cert,
		Log: log.New(env.Stderr, "", log.LstdFlags), Poll: envDuration(env, pollEnv),
	}
	// The watcher runs in the relay's process too, so that a relay started
	// at login ('relay enable') also gives the reminders and the keep-alive.
	w, bus, err := newWatcher(ctx, env, os.Getenv(notifyNameEnv))
	if err != nil {
		fmt.Fprintf(env.Stderr, "Warning: no reminders from this relay: %s\n", sentence(advice.What(err)))
	} else {
		if bus != nil {
			defer bus.Close()
		}
		wctx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		defer func() { stop(); <-done }()
		go func() {
			defer close(done)
			_ = runWatcher(wctx, env, w, bus, watch.DefaultEvery)
		}()
	}
	return srv.Serve(ctx, l)
}

// Environment variables the tests set (not for users): how often the relay
// looks at the queue when nothing is due, and the bus name of the
// notification service the relay's watcher posts to.
const (
	pollEnv       = "MAILKEY_RELAY_POLL"
	notifyNameEnv = "MAILKEY_NOTIFY_NAME"
)

// envDuration reads a duration from the environment variable name; zero
// (the default) when unset or unreadable, which it says on stderr.
func envDuration(env Env, name string) time.Duration {
	v := os.Getenv(name)
	if v == "" {
		return 0
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		fmt.Fprintf(env.Stderr, "Warning: ignoring %s=%q: not a positive duration such as 2s.\n", name, v)
		return 0
	}
	return d
}

func relayAddPassword(ctx context.Context, env Env, args []string) error {
	if len(args) != 2 {
		return usagef(usageRelay, "relay add-password takes an address and a label, such as: relay add-password ann@gmail.com scanner")
	}
	a, err := env.Engine.Account(args[0])
	if err != nil {
		return err
	}
	pw, err := passwords(env).Add(ctx, a.Address, args[1])
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, pw)
	fmt.Fprintf(env.Stderr, "This relay password for %s (%s) is shown only once. Type it into the device or program:\n"+
		"  server   the address of this computer (127.0.0.1 on this computer), port 2525 unless you chose another\n"+
		"  security none on this computer; STARTTLS from other computers\n"+
		"  username %s\n"+
		"Revoke it with 'mailkey relay remove-password %s %s'.\n", a.Address, args[1], a.Address, a.Address, args[1])
	return nil
}

func relayPasswords(env Env, args []string) error {
	if len(args) > 1 {
		return usagef(usageRelay, "relay passwords takes at most an address")
	}
	addr := ""
	if len(args) == 1 {
		addr = args[0]
	}
	list, err := passwords(env).List(addr)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintln(env.Stderr, "No relay passwords yet. Create one with 'mailkey relay add-password ADDR LABEL'.")
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ACCOUNT\tLABEL\tCREATED\tLAST USED")
	for _, e := range list {
		used := "never"
		if !e.LastUsed.IsZero() {
			used = e.LastUsed.Local().Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", e.Account, e.Label, e.Created.Local().Format("2006-01-02 15:04"), used)
	}
	return tw.Flush()
}

func relayEnable(ctx context.Context, env Env, listen string) error {
	s, err := relay.NewService()
	if err != nil {
		return err
	}
	kind, err := s.Enable(ctx, listen)
	if err != nil {
		return err
	}
	if kind == "systemd" {
		fmt.Fprintf(env.Stderr, "The relay runs now and from every login, as the systemd user service %s (%s).\n", relay.Unit, s.UnitPath())
		return nil
	}
	fmt.Fprintf(env.Stderr, "No systemd user manager here: the relay starts with your next desktop login (%s).\n", s.AutostartPath())
	return nil
}

func relayDisable(ctx context.Context, env Env, args []string) error {
	if len(args) > 0 {
		return usagef(usageRelay, "relay disable takes no arguments")
	}
	s, err := relay.NewService()
	if err != nil {
		return err
	}
	if err := s.Disable(ctx); err != nil {
		return err
	}
	fmt.Fprintln(env.Stderr, "The relay no longer starts at login.")
	return nil
}

func relayStatus(env Env, args []string) error {
	if len(args) > 0 {
		return usagef(usageRelay, "relay status takes no arguments")
	}
	dir, err := relayDir()
	if err != nil {
		return err
	}
	if s, err := relay.NewService(); err == nil {
		switch s.Enabled() {
		case "systemd":
			fmt.Fprintf(env.Stdout, "starts at login: yes, systemd user service %s\n", relay.Unit)
		case "autostart":
			fmt.Fprintf(env.Stdout, "starts at login: yes, desktop autostart %s\n", s.AutostartPath())
		default:
			fmt.Fprintln(env.Stdout, "starts at login: no ('mailkey relay enable')")
		}
	}
	st, ok := relay.Running(dir)
	if !ok {
		fmt.Fprintln(env.Stdout, "running: no")
		return advice.New(errRelayStopped, "the relay is not running", "Start it with 'mailkey relay', or 'mailkey relay enable'")
	}
	fmt.Fprintf(env.Stdout, "running: yes, pid %d, on %s since %s\ncertificate SHA-256: %s\n", st.PID, st.Listen,
		st.Started.Local().Format("2006-01-02 15:04"), st.Fingerprint)
	return nil
}

// tellRemoval says what removing an account did beyond the account: the relay
// passwords revoked and the queued messages failed (kept, never deleted
// unsent), and what could not be done.
func tellRemoval(env Env, addr string, r relay.Removal) {
	if len(r.Revoked) > 0 {
		fmt.Fprintf(env.Stderr, "Revoked its relay passwords: %s.\n", strings.Join(r.Revoked, ", "))
	}
	if r.RevokeErr != nil {
		fmt.Fprintf(env.Stderr, "Warning: could not revoke all its relay passwords: %s Run 'mailkey remove %s' again.\n",
			sentence(advice.What(r.RevokeErr)), addr)
	}
	if len(r.Failed) > 0 {
		fmt.Fprintf(env.Stderr, "%d queued message(s) from %s were not sent; they stay in the queue as failed:\n", len(r.Failed), addr)
		for _, it := range r.Failed {
			fmt.Fprintf(env.Stderr, "  %s to %s\n", it.ID, strings.Join(it.To, ", "))
		}
		fmt.Fprintln(env.Stderr, "Add the account again and run 'mailkey queue retry --all', or drop them with 'mailkey queue drop ID'.")
	}
	if r.QueueErr != nil {
		fmt.Fprintf(env.Stderr, "Warning: could not mark its queued messages: %s\n", sentence(advice.What(r.QueueErr)))
	}
}
