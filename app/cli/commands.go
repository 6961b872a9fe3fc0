package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/arrival"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/internal/localfile"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/oauth"
	"github.com/mailkey-app/mailkey/app/relay"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
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
	// LastRefresh is the last token refresh, which Google counts as use of
	// the OAuth client; ClientIdle is true when the client went unused so
	// long (see Account.ClientIdle) that Google may soon delete it.
	LastRefresh       *time.Time `json:"last_refresh,omitempty"`
	ClientIdle        bool       `json:"client_idle,omitempty"`
	ClientIdleWarning string     `json:"client_idle_warning,omitempty"`
	SendAs            []string   `json:"send_as,omitempty"`
	IMAP              string     `json:"imap,omitempty"`
}

func accountsCmd(env Env) *cobra.Command {
	c := &cobra.Command{Use: "accounts", Short: "List the accounts and their status"}
	asJSON := c.Flags().Bool("json", false, "print the accounts as JSON, with their expiry and last token refresh")
	c.RunE = func(c *cobra.Command, args []string) error {
		if len(args) > 0 {
			return usagef(usageAccounts, "accounts takes no arguments")
		}
		return accounts(c.Context(), env, *asJSON)
	}
	return withUsage(c, usageAccounts)
}

func accounts(_ context.Context, env Env, asJSON bool) error {
	list, err := env.Engine.List()
	if err != nil {
		return err
	}
	now := env.Engine.Now()
	if asJSON {
		out := make([]accountJSON, 0, len(list))
		for _, a := range list {
			j := accountJSON{
				Address: a.Address, Method: string(a.Method), SMTP: a.SMTP, Transport: a.EffectiveTransport(), Status: a.Status.String(),
				State: string(a.Status.State), Publishing: string(a.Publishing), SignedInAt: a.SignedInAt, SendAs: a.SendAs, IMAP: a.IMAP,
			}
			j.NeedsReason = a.SignInText().What
			if !a.Status.ExpiresAt.IsZero() {
				exp, days := a.Status.ExpiresAt, a.Status.DaysLeft
				j.ExpiresAt, j.DaysLeft = &exp, &days
			}
			if !a.LastRefresh.IsZero() {
				last := a.LastRefresh
				j.LastRefresh = &last
			}
			if a.ClientIdle(now) {
				j.ClientIdle, j.ClientIdleWarning = true, clientIdleWarning(a.Account)
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
	if err := bw.Flush(); err != nil {
		return err
	}
	for _, a := range list {
		if a.ClientIdle(now) {
			fmt.Fprintf(env.Stderr, "Warning: %s: %s\n", a.Address, clientIdleWarning(a.Account))
		}
	}
	return nil
}

// clientIdleWarning says that an account's OAuth client went unused so long
// that Google may delete it, and what to do.
func clientIdleWarning(a account.Account) string {
	return fmt.Sprintf("its OAuth client was last used on %s; Google deletes clients unused for about 6 months. "+
		"Send a message or run 'mailkey token %s' to keep it in use", a.LastClientUse().Local().Format("2006-01-02"), a.Address)
}

// loginFlags holds the flags of 'mailkey login'.
type loginFlags struct {
	clientFile, clientID, projectID, authURI, tokenURI string
	smtpURL, apiBase, transport, email, imapURL        string
	noBrowser, testing, production, appPassword        bool
	timeout                                            time.Duration
}

func loginCmd(env Env) *cobra.Command {
	c := &cobra.Command{
		Use: "login", Short: "Add an account: OAuth 2.0 sign-in or app password",
		Long: "Login adds a Gmail account, or signs in again. With an OAuth client (--client-secret FILE, or --client-id " +
			"with the secret on standard input), it opens Google's sign-in in the browser; with --app-password, it reads " +
			"the app password on standard input and checks it with an SMTP login. Nothing is saved until the check passes; " +
			"secrets go to the keyring only.",
	}
	f := loginFlagSet(c.Flags())
	c.RunE = func(c *cobra.Command, args []string) error {
		if len(args) > 0 {
			return usagef(usageLogin, "unexpected argument %q", args[0])
		}
		if _, err := arrival.ParseIMAPURL(f.imapURL); err != nil {
			return err
		}
		return login(c.Context(), env, *f)
	}
	return withUsage(c, usageLogin)
}

func login(ctx context.Context, env Env, f loginFlags) error {
	if f.appPassword {
		if err := f.checkAppPassword(); err != nil {
			return err
		}
		return setIMAP(env, f.email, f.imapURL, loginAppPassword(ctx, env, f.email, f.smtpURL))
	}
	if err := f.checkOAuth(); err != nil {
		return err
	}
	client, err := f.client(env)
	if err != nil {
		return err
	}
	req := engine.OAuthLogin{
		Client: client, SMTP: f.smtpURL, Publishing: account.Testing, Timeout: f.timeout, APIBase: f.apiBase,
		Transport: f.transport, Open: browserOpener(env, f.noBrowser), Aliases: printAliases(env), Page: signInPage(os.Getenv),
	}
	// The CLI asks nothing: it replaces a saved account of the same address,
	// as it always did, and says what it replaced once the sign-in is saved.
	var replaced *engine.Info
	req.Confirm = func(_ context.Context, old engine.Info) bool {
		replaced = &old
		return true
	}
	if f.production {
		req.Publishing = account.Production
	}
	a, err := loginOAuth(ctx, env, req)
	if err != nil {
		return err
	}
	if replaced != nil {
		fmt.Fprintln(env.Stderr, replacedOAuth(*replaced))
	}
	if err := setIMAP(env, a.Address, f.imapURL, nil); err != nil {
		return err
	}
	sendHeld(ctx, env)
	return nil
}

// loginFlagSet defines login's flags on fs.
func loginFlagSet(fs *pflag.FlagSet) *loginFlags {
	var f loginFlags
	fs.StringVar(&f.clientFile, "client-secret", "", "the OAuth client `FILE` downloaded from Google Cloud (client_secret_….json)")
	fs.StringVar(&f.clientID, "client-id", "", "the OAuth client `ID` (….apps.googleusercontent.com); the client secret is read on standard input")
	fs.StringVar(&f.projectID, "project-id", "", "the Google Cloud project `ID` of the client, for the links in the advice (with --client-id)")
	fs.StringVar(&f.authURI, "auth-uri", "", "the authorization endpoint `URL` (with --client-id; default Google's)")
	fs.StringVar(&f.tokenURI, "token-uri", "", "the token endpoint `URL` (with --client-id; default Google's)")
	fs.BoolVar(&f.noBrowser, "no-browser", false, "print the sign-in link instead of opening a browser")
	fs.StringVar(&f.smtpURL, "smtp", "", "the SMTP server `URL`: smtp://host[:port] (STARTTLS) or smtps://host[:port] (default smtp://smtp.gmail.com:587)")
	fs.BoolVar(&f.testing, "testing", false, "the Google Cloud project is in Testing: the sign-in ends after 7 days (the default)")
	fs.BoolVar(&f.production, "production", false, "the Google Cloud project is In production")
	fs.DurationVar(&f.timeout, "timeout", 5*time.Minute, "how long to wait for the browser")
	fs.StringVar(&f.apiBase, "api", "", "the Gmail API's base `URL`, for tests and proxies")
	fs.StringVar(&f.transport, "transport", "", "`smtp`, api (the Gmail API over HTTPS) or auto (SMTP, else the API when SMTP cannot be reached; the default for OAuth)")
	fs.BoolVar(&f.appPassword, "app-password", false, "sign in with an app password, read on standard input (with --email)")
	fs.StringVar(&f.email, "email", "", "the Gmail `ADDR` of the app password")
	fs.StringVar(&f.imapURL, "imap", "", "the IMAP server `URL` where 'mailkey test' looks for its message (default Gmail's)")
	_ = fs.MarkHidden("api")
	return &f
}

// checkAppPassword checks the flags of an app-password login.
func (f loginFlags) checkAppPassword() error {
	switch {
	case f.clientFile != "" || f.clientID != "":
		return usagef(usageLogin, "choose either --app-password or an OAuth client (--client-secret or --client-id), not both")
	case f.email == "":
		return usagef(usageLogin, "--app-password needs --email ADDR")
	case f.noBrowser || f.testing || f.production:
		return usagef(usageLogin, "--no-browser, --testing and --production are for OAuth sign-in only")
	case f.transport != "" && f.transport != account.TransportSMTP:
		return usagef(usageLogin, "an app password can only send over SMTP: --transport api and auto need --client-secret or --client-id")
	}
	return nil
}

// checkOAuth checks the flags of an OAuth sign-in.
func (f loginFlags) checkOAuth() error {
	byID := f.clientID != ""
	switch {
	case f.clientFile != "" && byID:
		return usagef(usageLogin, "choose either --client-secret FILE or --client-id ID (with the secret on standard input), not both")
	case !byID && (f.projectID != "" || f.authURI != "" || f.tokenURI != ""):
		return usagef(usageLogin, "--project-id, --auth-uri and --token-uri go with --client-id")
	case f.clientFile == "" && !byID:
		return usagef(usageLogin, "give --client-secret FILE (the JSON downloaded from Google Cloud), --client-id ID (the secret on standard input) or --app-password")
	case f.testing && f.production:
		return usagef(usageLogin, "choose either --testing or --production")
	case f.timeout <= 0:
		return usagef(usageLogin, "--timeout must be positive, for example 5m")
	case !account.ValidTransport(f.transport):
		return usagef(usageLogin, "--transport must be smtp, api or auto")
	}
	return nil
}

// client reads the OAuth client from --client-secret, or from --client-id
// and its companions with the secret on standard input.
func (f loginFlags) client(env Env) (google.Client, error) {
	if f.clientID == "" {
		return google.ReadClientFile(f.clientFile)
	}
	return clientFromFlags(env, google.ClientFields{ClientID: f.clientID, ProjectID: f.projectID, AuthURI: f.authURI, TokenURI: f.tokenURI})
}

// browserOpener returns how the sign-in link reaches the user: printed only
// (--no-browser), or opened in the browser with the link printed as well.
func browserOpener(env Env, noBrowser bool) func(url string) error {
	if noBrowser {
		return func(url string) error {
			fmt.Fprintln(env.Stderr, "Open this link in a browser on this computer, then sign in:")
			fmt.Fprintln(env.Stdout, url)
			return nil
		}
	}
	open := env.Engine.Open
	return func(url string) error {
		fmt.Fprintln(env.Stderr, "Opening your browser to sign in. If it does not open, use this link:\n"+url)
		if err := open(url); err != nil {
			fmt.Fprintln(env.Stderr, "Could not open a browser ("+err.Error()+"); open the link above by hand.")
		}
		return nil
	}
}

// loginOAuth runs the sign-in in req and prints the account's address.
func loginOAuth(ctx context.Context, env Env, req engine.OAuthLogin) (account.Account, error) {
	printWhileWaiting(env.Stderr, req.Publishing, req.Client.ProjectID)
	fmt.Fprintln(env.Stderr, "Waiting for the browser (up to "+advice.Duration(req.Timeout)+")…")
	a, err := env.Engine.LoginOAuth(ctx, req)
	if err != nil {
		if errors.Is(err, oauth.ErrTimeout) {
			fmt.Fprintln(env.Stderr, "If Google showed one of the error pages listed above, follow its advice, then run this command again.")
		}
		return a, err
	}
	fmt.Fprintln(env.Stdout, a.Address)
	printSignInEnd(env.Stderr, a)
	return a, nil
}

// replacedOAuth says what an OAuth sign-in replaced: the account saved before
// for the same address, and the secrets deleted with it.
func replacedOAuth(old engine.Info) string {
	if old.Method == account.AppPassword {
		return fmt.Sprintf("Replaced the account saved for %s: it used an app password, which mailkey deleted from the keyring "+
			"(it stays valid at Google until you delete it on the App passwords page).", old.Address)
	}
	return fmt.Sprintf("Replaced the account saved for %s: its previous sign-in tokens and client secret were replaced in the keyring.", old.Address)
}

// clientFromFlags reads the client secret from standard input, without echo
// on a terminal, and checks it with the other values.
func clientFromFlags(env Env, f google.ClientFields) (google.Client, error) {
	var err error
	if env.ReadPassword != nil {
		fmt.Fprint(env.Stderr, "Client secret (shown in Google's dialog after Create; it won't be echoed): ")
		f.ClientSecret, err = env.ReadPassword()
		fmt.Fprintln(env.Stderr)
	} else {
		f.ClientSecret, err = readLine(env.Stdin)
	}
	if err != nil {
		return google.Client{}, fmt.Errorf("reading the client secret from standard input: %w", err)
	}
	return google.NewClient(f)
}

// readLine reads one line of at most 4 KiB from r, without its line end.
func readLine(r io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, 4096)).ReadString('\n')
	if err == io.EOF {
		err = nil
	}
	return line, err
}

// printWhileWaiting says, before the wait, what Google will show and what to
// do when Google shows one of its own error pages, which never come back.
func printWhileWaiting(w io.Writer, pub account.Publishing, projectID string) {
	warning := google.WarningTesting
	if pub == account.Production {
		warning = google.WarningProduction
	}
	if !google.ValidProjectID(projectID) {
		projectID = ""
	}
	fmt.Fprintln(w, "Sign in with the Gmail address you want to send from. "+warning)
	fmt.Fprintln(w, "If Google shows one of its error pages instead of coming back here, mailkey hears nothing; this is what to do:")
	for _, t := range google.SignInPageTroubles() {
		line := "  " + t.Page + ": " + t.Fix
		if link := t.LinkFor(projectID); link != "" {
			line += " " + link
		}
		fmt.Fprintln(w, line)
	}
}

// printSignInEnd says when Google will end the sign-in, and why.
func printSignInEnd(w io.Writer, a account.Account) {
	st := a.Status(time.Now())
	if st.State != account.StateExpiring {
		return
	}
	date := st.ExpiresAt.Local().Format("Mon 2 Jan 2006 15:04")
	if a.Publishing == account.Production {
		fmt.Fprintf(w, "Signed in, but Google says this sign-in ends on %s: your project was still in Testing when you gave consent, "+
			"and such a sign-in ends after 7 days even once the app is published. Run this command again now that the app is In production.\n", date)
	} else {
		fmt.Fprintf(w, "Signed in. While your Google Cloud project is in Testing, this sign-in ends on %s; "+
			"run this command again then (one sign-in a week is the simplest way), or publish the app and log in again with --production.\n", date)
	}
	if a.HostedDomain != "" {
		fmt.Fprintf(w, "%s is a Google Workspace address (%s): if the project belongs to that organisation, choosing the user type Internal "+
			"on the Audience page removes the test users and the 7-day limit.\n", a.Address, a.HostedDomain)
	}
}

func loginAppPassword(ctx context.Context, env Env, email, smtpURL string) error {
	var pw string
	var err error
	if env.ReadPassword != nil {
		fmt.Fprintf(env.Stderr, "App password for %s (16 letters; spaces are fine): ", email)
		pw, err = env.ReadPassword()
		fmt.Fprintln(env.Stderr)
	} else {
		pw, err = readLine(env.Stdin)
	}
	if err != nil {
		return fmt.Errorf("reading the app password from standard input: %w", err)
	}
	a, err := env.Engine.LoginAppPassword(ctx, email, pw, smtpURL)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, a.Address)
	sendHeld(ctx, env)
	return nil
}

// sendFlags are the flags of 'mailkey send'.
type sendFlags struct {
	from, to, cc, bcc, subject, body, bodyFile *string
	verbose                                    *bool
	attach                                     *[]string
	via                                        *string         // the account to send through when --from is an alias (aliases.go)
	set                                        map[string]bool // the flags given
}

func sendCmd(env Env) *cobra.Command {
	c := &cobra.Command{
		Use: "send", Short: "Send a message from an account",
		Long: "Send sends one message from the account --from, and prints its Message-ID.",
	}
	fs := c.Flags()
	f := sendFlags{
		from:     fs.String("from", "", "the account to send from (`ADDR`)"),
		to:       fs.String("to", "", "recipients, comma-separated (`LIST`)"),
		cc:       fs.String("cc", "", "copy recipients, comma-separated (`LIST`)"),
		bcc:      fs.String("bcc", "", "hidden recipients, comma-separated (`LIST`)"),
		subject:  fs.String("subject", "", "the subject (`TEXT`, may be empty)"),
		body:     fs.String("body", "", "the body `TEXT`"),
		bodyFile: fs.String("body-file", "", "read the body from `FILE` (- for standard input)"),
		verbose:  fs.Bool("verbose", false, "print the SMTP transcript on stderr, secrets redacted"),
		attach:   fs.StringArray("attach", nil, "attach `FILE` (repeat for more)"),
		via:      fs.String("account", "", "the account to send through (`ADDR`), when --from is one of its Send mail as addresses"),
	}
	_ = c.RegisterFlagCompletionFunc("from", func(c *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return accountAddresses(env, toComplete), cobra.ShellCompDirectiveNoFileComp
	})
	c.RunE = func(c *cobra.Command, args []string) error {
		f.set = map[string]bool{}
		c.Flags().Visit(func(fl *pflag.Flag) { f.set[fl.Name] = true })
		return send(c.Context(), env, f, args)
	}
	return withUsage(c, usageSend)
}

func send(ctx context.Context, env Env, f sendFlags, args []string) error {
	m, verbose, err := parseSend(env, f, args)
	if err != nil {
		return err
	}
	warnFrom(env, m)
	res, err := env.Engine.Send(ctx, m)
	if verbose && res.Transcript != "" {
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

// parseSend turns send's arguments into the message, and says whether
// --verbose asks for the transcript.
func parseSend(env Env, f sendFlags, args []string) (m mail.Message, verbose bool, err error) {
	usage := usageSend
	from, to, cc, bcc, subject, body, bodyFile := f.from, f.to, f.cc, f.bcc, f.subject, f.body, f.bodyFile
	attach, via, set := *f.attach, f.via, f.set
	verbose = *f.verbose
	switch {
	case len(args) > 0:
		return m, verbose, usagef(usage, "unexpected argument %q", args[0])
	case *from == "":
		return m, verbose, usagef(usage, "--from is required")
	case *to == "" && *cc == "" && *bcc == "":
		return m, verbose, usagef(usage, "give at least one recipient with --to, --cc or --bcc")
	case !set["subject"]:
		return m, verbose, usagef(usage, "--subject is required")
	case set["body"] && set["body-file"]:
		return m, verbose, usagef(usage, "give either --body or --body-file, not both")
	}
	m = mail.Message{From: *from, Subject: *subject, Body: *body, Attachments: attach, Via: *via}
	if err := parseRecipients(&m, *to, *cc, *bcc); err != nil {
		return m, verbose, err
	}
	if *bodyFile != "" {
		m.Body, err = readBody(env, *bodyFile)
	}
	return m, verbose, err
}

// parseRecipients parses the --to, --cc and --bcc lists into m.
func parseRecipients(m *mail.Message, to, cc, bcc string) error {
	var err error
	if m.To, err = mail.ParseList("To", to); err != nil {
		return err
	}
	if m.Cc, err = mail.ParseList("Cc", cc); err != nil {
		return err
	}
	m.Bcc, err = mail.ParseList("Bcc", bcc)
	return err
}

// readBody reads the body from the file name, or from standard input for
// "-", up to Gmail's message size: a folder, a device, a named pipe or a
// larger file is refused as bad input.
func readBody(env Env, name string) (string, error) {
	limit := int64(mail.MaxRawBytes)
	var b []byte
	var err error
	if name == "-" {
		b, err = localfile.ReadAll(env.Stdin, "standard input", limit)
	} else {
		b, err = localfile.Read(name, limit)
	}
	switch {
	case err == nil:
		return string(b), nil
	case errors.Is(err, localfile.ErrIsDir):
		return "", usagef(usageSend, "the body file %s is a folder: give a text file", name)
	case errors.Is(err, localfile.ErrNotRegular):
		return "", usagef(usageSend, "the body file %s is not a regular file (%v): give a text file, "+
			"or use --body-file - and pipe the text on standard input", name, errors.Unwrap(err))
	case errors.Is(err, localfile.ErrTooLarge):
		return "", usagef(usageSend, "the body in %s is larger than Gmail's limit of %d MB", name, limit/1_000_000)
	case name == "-":
		return "", fmt.Errorf("reading the body: %w", err)
	}
	return "", usagef(usageSend, "cannot read the body file: %v", err)
}

func tokenCmd(env Env) *cobra.Command {
	return addressCmd(env, usageToken, token, &cobra.Command{
		Use: "token ADDR", Short: "Print a valid OAuth access token (for msmtp's passwordeval)",
		Long: "Token prints an access token for an OAuth account, refreshing it when needed: msmtp's passwordeval runs it for each message.",
	})
}

func token(ctx context.Context, env Env, addr string) error {
	tok, err := env.Engine.Token(ctx, addr)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, tok)
	return nil
}

func removeCmd(env Env) *cobra.Command {
	return addressCmd(env, usageRemove, remove, &cobra.Command{Use: "remove ADDR", Short: "Remove an account and its keyring entries"})
}

func remove(ctx context.Context, env Env, addr string) error {
	q, _ := openQueue() // without a queue, there is nothing queued to fail
	r, err := relay.RemoveAccount(ctx, env.Engine, q, addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "Removed %s and its keyring entries.\n", addr)
	tellRemoval(env, addr, r)
	return nil
}

// addressCmd makes c a command that runs body on one account's address.
func addressCmd(env Env, usage string, body func(context.Context, Env, string) error, c *cobra.Command) *cobra.Command {
	c.ValidArgsFunction = completeAccounts(env)
	c.RunE = func(c *cobra.Command, args []string) error {
		addr, err := oneAddress(c.Name(), usage, args)
		if err != nil {
			return err
		}
		return body(c.Context(), env, addr)
	}
	return withUsage(c, usage)
}

func oneAddress(name, usage string, args []string) (string, error) {
	if len(args) != 1 {
		return "", usagef(usage, "%s takes one address", name)
	}
	return args[0], nil
}
