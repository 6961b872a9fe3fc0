package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/mail"
)

type accountJSON struct {
	Address     string     `json:"address"`
	Method      string     `json:"method"`
	SMTP        string     `json:"smtp"`
	Transport   string     `json:"transport"`
	Status      string     `json:"status"`
	State       string     `json:"state"`
	Publishing  string     `json:"publishing,omitempty"`
	SignedInAt  time.Time  `json:"signed_in_at"`
	ExpiresAt   *time.Time `json:"expires_at,omitempty"`
	DaysLeft    *int       `json:"days_left,omitempty"`
	NeedsReason string     `json:"needs_sign_in_reason,omitempty"`
}

func accounts(_ context.Context, env Env, args []string) error {
	usage := usageAccounts
	fs := newFlags("accounts")
	asJSON := fs.Bool("json", false, "")
	if err := parse(fs, usage, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef(usage, "accounts takes no arguments")
	}
	list, err := env.Engine.List()
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]accountJSON, 0, len(list))
		for _, a := range list {
			j := accountJSON{Address: a.Address, Method: string(a.Method), SMTP: a.SMTP, Transport: a.EffectiveTransport(), Status: a.Status.String(),
				State: string(a.Status.State), Publishing: string(a.Publishing), SignedInAt: a.SignedInAt, NeedsReason: a.Reason}
			if !a.Status.ExpiresAt.IsZero() {
				exp, days := a.Status.ExpiresAt, a.Status.DaysLeft
				j.ExpiresAt, j.DaysLeft = &exp, &days
			}
			out = append(out, j)
		}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if len(list) == 0 {
		fmt.Fprintln(env.Stderr, "No accounts yet. Add one with 'mailkey login' (see 'mailkey help') or in the app.")
		return nil
	}
	// tabwriter writes every cell and its padding apart: buffer them.
	bw := bufio.NewWriterSize(env.Stdout, 64<<10)
	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	for _, a := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", a.Address, a.Method, a.Status)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return bw.Flush()
}

func login(ctx context.Context, env Env, args []string) error {
	usage := usageLogin
	fs := newFlags("login")
	clientFile := fs.String("client-secret", "", "")
	noBrowser := fs.Bool("no-browser", false, "")
	smtpURL := fs.String("smtp", "", "")
	testing := fs.Bool("testing", false, "")
	production := fs.Bool("production", false, "")
	timeout := fs.Duration("timeout", 5*time.Minute, "")
	apiBase := fs.String("api", "", "") // the Gmail API's base URL, for tests and proxies
	transport := fs.String("transport", "", "")
	appPassword := fs.Bool("app-password", false, "")
	email := fs.String("email", "", "")
	if err := parse(fs, usage, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return usagef(usage, "unexpected argument %q", fs.Arg(0))
	case *appPassword && *clientFile != "":
		return usagef(usage, "choose either --app-password or --client-secret, not both")
	case *appPassword:
		if *email == "" {
			return usagef(usage, "--app-password needs --email ADDR")
		}
		if *noBrowser || *testing || *production {
			return usagef(usage, "--no-browser, --testing and --production are for OAuth sign-in only")
		}
		if *transport != "" && *transport != account.TransportSMTP {
			return usagef(usage, "an app password can only send over SMTP: --transport api and auto need --client-secret")
		}
		return loginAppPassword(ctx, env, *email, *smtpURL)
	case *clientFile == "":
		return usagef(usage, "give --client-secret FILE (the JSON downloaded from Google Cloud) or --app-password")
	case *testing && *production:
		return usagef(usage, "choose either --testing or --production")
	case *timeout <= 0:
		return usagef(usage, "--timeout must be positive, for example 5m")
	case !account.ValidTransport(*transport):
		return usagef(usage, "--transport must be smtp, api or auto")
	}
	client, err := google.ReadClientFile(*clientFile)
	if err != nil {
		return err
	}
	req := engine.OAuthLogin{Client: client, SMTP: *smtpURL, Publishing: account.Testing, Timeout: *timeout, APIBase: *apiBase,
		Transport: *transport}
	if *production {
		req.Publishing = account.Production
	}
	if *noBrowser {
		req.Open = func(url string) error {
			fmt.Fprintln(env.Stderr, "Open this link in a browser on this computer, then sign in:")
			fmt.Fprintln(env.Stdout, url)
			return nil
		}
	} else {
		open := env.Engine.Open
		req.Open = func(url string) error {
			fmt.Fprintln(env.Stderr, "Opening your browser to sign in. If it does not open, use this link:\n"+url)
			if err := open(url); err != nil {
				fmt.Fprintln(env.Stderr, "Could not open a browser ("+err.Error()+"); open the link above by hand.")
			}
			return nil
		}
	}
	fmt.Fprintln(env.Stderr, "Waiting for the browser (up to "+advice.Duration(*timeout)+")…")
	a, err := env.Engine.LoginOAuth(ctx, req)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, a.Address)
	if st := a.Status(time.Now()); st.State == account.StateExpiring {
		fmt.Fprintf(env.Stderr, "Signed in. While your Google Cloud project is in Testing, this sign-in ends on %s; "+
			"run this command again then, or publish the app (In production) and log in with --production.\n",
			st.ExpiresAt.Local().Format("Mon 2 Jan 2006 15:04"))
	}
	return nil
}

func loginAppPassword(ctx context.Context, env Env, email, smtpURL string) error {
	var pw string
	var err error
	if env.ReadPassword != nil {
		fmt.Fprintf(env.Stderr, "App password for %s (16 letters; spaces are fine): ", email)
		pw, err = env.ReadPassword()
		fmt.Fprintln(env.Stderr)
	} else {
		pw, err = bufio.NewReader(io.LimitReader(env.Stdin, 4096)).ReadString('\n')
		if err == io.EOF {
			err = nil
		}
	}
	if err != nil {
		return fmt.Errorf("reading the app password from standard input: %w", err)
	}
	a, err := env.Engine.LoginAppPassword(ctx, email, pw, smtpURL)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, a.Address)
	return nil
}

// listFlag collects a repeated flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

func send(ctx context.Context, env Env, args []string) error {
	usage := usageSend
	fs := newFlags("send")
	from := fs.String("from", "", "")
	to := fs.String("to", "", "")
	cc := fs.String("cc", "", "")
	bcc := fs.String("bcc", "", "")
	subject := fs.String("subject", "", "")
	body := fs.String("body", "", "")
	bodyFile := fs.String("body-file", "", "")
	verbose := fs.Bool("verbose", false, "")
	var attach listFlag
	fs.Var(&attach, "attach", "")
	if err := parse(fs, usage, args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch {
	case fs.NArg() > 0:
		return usagef(usage, "unexpected argument %q", fs.Arg(0))
	case *from == "":
		return usagef(usage, "--from is required")
	case *to == "" && *cc == "" && *bcc == "":
		return usagef(usage, "give at least one recipient with --to, --cc or --bcc")
	case !set["subject"]:
		return usagef(usage, "--subject is required")
	case set["body"] && set["body-file"]:
		return usagef(usage, "give either --body or --body-file, not both")
	}
	m := mail.Message{From: *from, Subject: *subject, Body: *body, Attachments: attach}
	var err error
	if m.To, err = mail.ParseList("To", *to); err != nil {
		return err
	}
	if m.Cc, err = mail.ParseList("Cc", *cc); err != nil {
		return err
	}
	if m.Bcc, err = mail.ParseList("Bcc", *bcc); err != nil {
		return err
	}
	if *bodyFile != "" {
		if m.Body, err = readBody(env, *bodyFile); err != nil {
			return err
		}
	}
	res, err := env.Engine.Send(ctx, m)
	if *verbose && res.Transcript != "" {
		fmt.Fprintln(env.Stderr, "Transcript (secrets redacted):\n"+res.Transcript)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, res.MessageID)
	if res.Fallback.What != "" {
		fmt.Fprintf(env.Stderr, "Sent through the %s because %s.\n", res.Transport, res.Fallback.What)
	}
	return nil
}

func readBody(env Env, name string) (string, error) {
	var r io.Reader = env.Stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return "", &usageError{msg: "cannot read the body file: " + err.Error(), usage: usageSend}
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return "", fmt.Errorf("reading the body: %w", err)
	}
	return string(b), nil
}

func token(ctx context.Context, env Env, args []string) error {
	addr, err := oneAddress("token", usageToken, args)
	if err != nil {
		return err
	}
	tok, err := env.Engine.Token(ctx, addr)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, tok)
	return nil
}

func remove(ctx context.Context, env Env, args []string) error {
	addr, err := oneAddress("remove", usageRemove, args)
	if err != nil {
		return err
	}
	if err := env.Engine.Remove(ctx, addr); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "Removed %s and its keyring entries.\n", addr)
	return nil
}

func oneAddress(name, usage string, args []string) (string, error) {
	fs := newFlags(name)
	if err := parse(fs, usage, args); err != nil {
		return "", err
	}
	if fs.NArg() != 1 {
		return "", usagef(usage, "%s takes one address", name)
	}
	return fs.Arg(0), nil
}
