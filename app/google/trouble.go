package google

import (
	"strings"
	"unicode"
)

// Trouble is one troubleshooting entry: what the user sees, why it happens and
// what to do.
type Trouble struct {
	// ID names the entry for code and tests, e.g. "access-denied".
	ID string
	// Symptom is what the user sees, quoting Google's words where possible.
	Symptom string
	// Cause says why it happens.
	Cause string
	// Fix says what to do.
	Fix string
	// Link is the page where the fix happens, or "".
	Link string
	// Keywords are extra words a search should find the entry by, such as
	// error codes.
	Keywords []string
}

// Troubles are the troubleshooting entries, one per symptom: first the
// sign-in errors, then Gmail's SMTP replies, then app-password problems.
var Troubles = []Trouble{
	{
		ID:      "access-denied",
		Symptom: "The sign-in page says “Error 403: access_denied” and that the app “has not completed the Google verification process”.",
		Cause: "Your app is in Testing and the address you signed in with is not on its Test users list, " +
			"or you signed in with a different Google account than the one you added.",
		Fix:      "In the console, open Audience, add the Gmail address you send from under Test users, save, and sign in again with that account.",
		Link:     audienceURL,
		Keywords: []string{"403", "access_denied", "test user", "verification", "testing"},
	},
	{
		ID:      "redirect-uri-mismatch",
		Symptom: "The sign-in page says “Error 400: redirect_uri_mismatch”.",
		Cause: "The client is a “Web application” client, as in guides written for servers (SeaTable, Odoo). " +
			"Such a client only accepts redirect addresses registered in advance; a desktop program needs a “Desktop app” client.",
		Fix:      "Create a client of type “Desktop app” (step 6), download its JSON (step 7) and choose that file in mailkey.",
		Link:     clientsURL,
		Keywords: []string{"400", "redirect_uri_mismatch", "redirect", "web application", "web client"},
	},
	{
		ID:      "invalid-grant-testing",
		Symptom: "Sending stopped working about a week after you signed in, with “invalid_grant” (“Token has been expired or revoked”).",
		Cause:   "While your app is in Testing, Google ends every sign-in after 7 days.",
		Fix: "Sign in again in mailkey; your settings are kept. To stop it happening every week, publish the app " +
			"(Audience > Publish app); you then click through a “Google hasn't verified this app” warning when you sign in.",
		Link:     audienceURL,
		Keywords: []string{"invalid_grant", "expired", "revoked", "7 days", "week", "testing", "refresh token"},
	},
	{
		ID:      "invalid-grant",
		Symptom: "Google answers “invalid_grant” although the app is published or you signed in less than 7 days ago.",
		Cause: "Google withdrew the sign-in: you removed mailkey's access in your Google Account, it went unused for 6 months, " +
			"you changed your Google password, or there are too many sign-ins (about 100) for the same client and account.",
		Fix:      "Sign in again in mailkey; your settings are kept.",
		Keywords: []string{"invalid_grant", "revoked", "password changed", "unused", "6 months", "refresh token"},
	},
	{
		ID:       "invalid-client",
		Symptom:  "The sign-in fails with “invalid_client” or “deleted_client”.",
		Cause:    "The client in mailkey no longer matches one in your project: it was deleted, or its secret was changed.",
		Fix:      "Open Clients in the console, download the JSON of your Desktop app client again (or create a new one), and choose that file in mailkey.",
		Link:     clientsURL,
		Keywords: []string{"invalid_client", "deleted_client", "401", "client secret"},
	},
	{
		ID:       "oob-invalid-request",
		Symptom:  "“Error 400: invalid_request” when a guide tells you to copy a code from the browser.",
		Cause:    "That copy-the-code sign-in (“out-of-band”, urn:ietf:wg:oauth:2.0:oob) has been blocked by Google since January 2023. Old tutorials still describe it.",
		Fix:      "Use mailkey's sign-in button: it opens your browser and receives the answer itself, with nothing to copy.",
		Keywords: []string{"400", "invalid_request", "oob", "out-of-band", "urn:ietf:wg:oauth:2.0:oob", "copy code"},
	},
	{
		ID:       "device-flow-invalid-scope",
		Symptom:  "Signing in with a code on another device fails with “invalid_scope”.",
		Cause:    "Google's device sign-in (enter a code at google.com/device) refuses Gmail permissions, so it cannot be used to send mail.",
		Fix:      "Sign in on the computer that runs mailkey, in its browser. For a computer without a screen, set mailkey up elsewhere or use an app password.",
		Keywords: []string{"invalid_scope", "device", "device code", "headless"},
	},
	{
		ID:       "browser-not-secure",
		Symptom:  "Google says “This browser or app may not be secure”.",
		Cause:    "The sign-in page was opened inside a program's own window instead of your usual browser, and Google refuses such windows.",
		Fix:      "Let mailkey open your usual browser for the sign-in. If it opened something else, copy the sign-in address into your usual browser.",
		Keywords: []string{"browser", "not secure", "webview", "embedded", "disallowed_useragent"},
	},
	{
		ID:      "unverified-app",
		Symptom: "Google says “Google hasn't verified this app”.",
		Cause:   "Your app is published (“In production”) but Google has not reviewed it. That is normal: an app for your own use needs no review.",
		Fix: "Check that the app name is the one you chose at the Branding step, then click Advanced > Go to … (unsafe) and continue. " +
			"If you'd rather not see this, move the app back to Testing, and sign in again every 7 days.",
		Link:     audienceURL,
		Keywords: []string{"unverified", "verified", "unsafe", "advanced", "warning", "production"},
	},
	{
		ID:       "smtp-xoauth2-scope",
		Symptom:  "Gmail answers the sign-in with a 334 challenge that names https://mail.google.com/.",
		Cause:    "The access token carries only the narrower gmail.send permission. Gmail's mail server accepts only " + ScopeMail + ".",
		Fix:      "Sign in again in mailkey: it asks for " + ScopeMail + ". If you listed scopes at the Data access step, add " + ScopeMail + " there too.",
		Link:     scopesURL,
		Keywords: []string{"334", "xoauth2", "scope", "gmail.send", "mail.google.com"},
	},
	{
		ID:       "smtp-xoauth2-rejected",
		Symptom:  "Gmail answers the sign-in with a 334 challenge whose status is 400 or 401.",
		Cause:    "Gmail did not accept the access token: it has expired or Google withdrew it.",
		Fix:      "Sign in again in mailkey; your settings are kept.",
		Keywords: []string{"334", "xoauth2", "400", "401", "token"},
	},
	{
		ID:       "smtp-535-bad-credentials",
		Symptom:  "Gmail answers “535-5.7.8 Username and Password not accepted” (BadCredentials).",
		Cause:    "The address or the app password is wrong, or the app password was deleted. With a Google sign-in, the token was refused.",
		Fix:      "Check the address. With an app password, create a new one and enter it in mailkey. With a Google sign-in, sign in again.",
		Link:     AppPasswordsURL,
		Keywords: []string{"535", "5.7.8", "badcredentials", "username", "password", "not accepted"},
	},
	{
		ID:       "smtp-534-app-password-required",
		Symptom:  "Gmail answers “534-5.7.9 Application-specific password required” (InvalidSecondFactor).",
		Cause:    "Your normal Google account password was used. Gmail never accepts it from a mail program.",
		Fix:      "Create an app password and enter it in mailkey instead of your account password.",
		Link:     AppPasswordsURL,
		Keywords: []string{"534", "5.7.9", "invalidsecondfactor", "application-specific", "app password", "account password"},
	},
	{
		ID:       "smtp-534-web-login",
		Symptom:  "Gmail answers “534-5.7.9 Please log in with your web browser” or “534-5.7.14”.",
		Cause:    "Google blocked the sign-in as unusual.",
		Fix:      "Sign in to gmail.com once in your browser, with the same account, then try again in mailkey.",
		Link:     "https://mail.google.com/",
		Keywords: []string{"534", "5.7.9", "5.7.14", "web browser", "log in", "blocked"},
	},
	{
		ID:       "smtp-too-many-logins",
		Symptom:  "Gmail answers “454 4.7.0 Too many login attempts” or “421 4.7.0”.",
		Cause:    "Gmail limits how often a mail program may sign in in a short time.",
		Fix:      "Wait a few minutes, then try once more.",
		Keywords: []string{"454", "421", "4.7.0", "too many", "login attempts", "rate limit"},
	},
	{
		ID:       "smtp-550-daily-limit",
		Symptom:  "Gmail answers “550 5.4.5 Daily user sending limit exceeded”.",
		Cause:    "Your account reached Gmail's daily sending limit (about 500 messages a day for a free account).",
		Fix:      "Wait 24 hours, then send again.",
		Keywords: []string{"550", "5.4.5", "daily", "limit", "quota", "exceeded"},
	},
	{
		ID:       "smtp-552-too-big",
		Symptom:  "Gmail answers “552 5.3.4 Message too big”.",
		Cause:    "The message is over 25 MB as sent. Attachments grow by about a third when they are encoded for mail, so more than about 18 MB of files is already too much.",
		Fix:      "Send fewer or smaller attachments, or share large files as a link (for example from Google Drive).",
		Keywords: []string{"552", "5.3.4", "too big", "size", "attachment", "25 mb"},
	},
	{
		ID:      "no-app-passwords-page",
		Symptom: "The App passwords page is missing, or says the setting is not available for your account.",
		Cause: "Google offers app passwords only with 2-Step Verification turned on, and not for work or school accounts, " +
			"accounts with Advanced Protection, or accounts whose only second step is a security key.",
		Fix:      "Turn on 2-Step Verification if it is off. If it is on and the page is still missing, use the sign-in with your own Google Cloud client instead of an app password.",
		Link:     TwoStepURL,
		Keywords: []string{"app passwords", "missing", "not available", "2-step", "2sv", "work", "school", "advanced protection", "security key"},
	},
}

// TroubleByID returns the entry of Troubles with the given ID.
func TroubleByID(id string) (Trouble, bool) {
	for _, t := range Troubles {
		if t.ID == id {
			return t, true
		}
	}
	return Trouble{}, false
}

// SearchTroubles returns the entries of Troubles in which every word of query
// occurs, ignoring letter case, in the symptom, the cause, the fix or the
// keywords. Punctuation around a word does not count, so a pasted
// “access_denied,” still matches. An empty query returns all entries.
func SearchTroubles(query string) []Trouble {
	words := queryWords(query)
	var found []Trouble
	for _, t := range Troubles {
		if t.matches(words) {
			found = append(found, t)
		}
	}
	return found
}

// queryWords splits query into lower-case words, trimming punctuation from
// both ends of each word and dropping words that were only punctuation.
func queryWords(query string) []string {
	var words []string
	for _, w := range strings.Fields(strings.ToLower(query)) {
		w = strings.TrimFunc(w, func(r rune) bool { return unicode.IsPunct(r) && r != '_' })
		if w != "" {
			words = append(words, w)
		}
	}
	return words
}

// matches reports whether every word occurs in t's text.
func (t Trouble) matches(words []string) bool {
	text := strings.ToLower(t.Symptom + "\n" + t.Cause + "\n" + t.Fix + "\n" + strings.Join(t.Keywords, "\n"))
	for _, w := range words {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}
