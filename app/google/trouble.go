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
	// Link is the page where the fix happens, or "". Use LinkFor to open it
	// in the user's project.
	Link string
	// Page is the heading of Google's own error page for this entry, such as
	// "Error 403: access_denied", or "" when the entry is no such page. Those
	// errors never come back to mailkey (see SignInPageTroubles).
	Page string
	// Keywords are extra words a search should find the entry by, such as
	// error codes.
	Keywords []string
}

// Troubles are the troubleshooting entries, one per symptom: first the
// sign-in errors, then Gmail's SMTP replies, then app-password problems.
var Troubles = []Trouble{
	{
		ID:   "access-denied",
		Page: "Error 403: access_denied",
		Symptom: "Google shows “Access blocked: … has not completed the Google verification process” with “Error 403: access_denied”, " +
			"and the browser never comes back to mailkey.",
		Cause: "Your app is in Testing and the address you signed in with is not on its Test users list, " +
			"or you signed in with a different Google account than the one you added.",
		Fix: "In the console, open Audience, add the Gmail address you send from under Test users and save. " +
			"Then cancel the waiting sign-in in mailkey and start it again with that account.",
		Link:     audienceURL,
		Keywords: []string{"403", "access_denied", "access blocked", "test user", "verification", "testing"},
	},
	{
		ID:      "deleted-client",
		Page:    "Error 401: deleted_client",
		Symptom: "Google says “The OAuth client was deleted” (“Error 401: deleted_client”).",
		Cause: "Google deletes OAuth clients that went unused for about 6 months, after an email to the project's owners; " +
			"or someone deleted the client by hand.",
		Fix: "Within 30 days of the deletion you can restore the client on the Clients page. Otherwise create a new Desktop app client (step 6), " +
			"copy its client ID and secret (step 7) and sign in with them.",
		Link:     clientsURL,
		Keywords: []string{"401", "deleted_client", "deleted", "restore", "unused", "6 months", "client"},
	},
	{
		ID:      "admin-policy-enforced",
		Page:    "Error 400: admin_policy_enforced",
		Symptom: "Google says “Error 400: admin_policy_enforced”.",
		Cause:   "Your address belongs to a Google Workspace organisation whose administrator allows only the apps they trust.",
		Fix: "Ask your administrator to trust your app's client ID (in the Admin console, Security > API controls), " +
			"or sign in with an address outside the organisation.",
		Keywords: []string{"400", "admin_policy_enforced", "admin", "administrator", "workspace", "policy", "organisation", "organization"},
	},
	{
		ID:      "redirect-uri-mismatch",
		Page:    "Error 400: redirect_uri_mismatch",
		Symptom: "The sign-in page says “Error 400: redirect_uri_mismatch”.",
		Cause: "The client is a “Web application” client, as in guides written for servers (SeaTable, Odoo). " +
			"Such a client only accepts redirect addresses registered in advance; a desktop program needs a “Desktop app” client.",
		Fix: "Create a client of type “Desktop app” (step 6), copy its client ID and secret or download its JSON (step 7), " +
			"and give them to mailkey.",
		Link:     clientsURL,
		Keywords: []string{"400", "redirect_uri_mismatch", "redirect", "web application", "web client"},
	},
	{
		ID:      "org-internal",
		Page:    "Error 403: org_internal",
		Symptom: "Google says “Error 403: org_internal”: the app is restricted to users within its organisation.",
		Cause:   "The app's user type is Internal, and the address you signed in with is not part of the organisation that owns the project.",
		Fix: "Sign in with an address of that organisation. Or, on the Audience page, switch the user type to External " +
			"and add your address under Test users.",
		Link:     audienceURL,
		Keywords: []string{"403", "org_internal", "internal", "organisation", "organization", "workspace"},
	},
	{
		ID:      "oob-invalid-request",
		Page:    "Error 400: invalid_request",
		Symptom: "Google says “Error 400: invalid_request”, for example when a guide tells you to copy a code from the browser.",
		Cause: "The sign-in request broke one of Google's rules. Most often it is the copy-the-code sign-in of old tutorials " +
			"(“out-of-band”, urn:ietf:wg:oauth:2.0:oob), blocked by Google since January 2023; an old or altered sign-in link does it too.",
		Fix: "Use mailkey's sign-in button: it opens your browser and receives the answer itself, with nothing to copy. " +
			"If it still happens, check that the client is a Desktop app client (step 6) and start the sign-in again.",
		Link:     clientsURL,
		Keywords: []string{"400", "invalid_request", "oob", "out-of-band", "urn:ietf:wg:oauth:2.0:oob", "copy code"},
	},
	{
		ID:      "invalid-grant-testing",
		Symptom: "Sending stopped working about a week after you signed in, with “invalid_grant” (“Token has been expired or revoked”).",
		Cause:   "While your app is in Testing, Google ends every sign-in 7 days after it.",
		Fix: "Sign in again in mailkey, one click; your settings are kept. That is the usual way while the app is in Testing. " +
			"Publishing the app lifts the limit only for sign-ins made after publishing, and Google first asks for " +
			"a home page, a privacy policy link and an authorised domain on the Branding page.",
		Link:     audienceURL,
		Keywords: []string{"invalid_grant", "expired", "revoked", "7 days", "week", "testing", "refresh token"},
	},
	{
		ID:      "invalid-grant",
		Symptom: "Google answers “invalid_grant” although the app is published or you signed in less than 7 days ago.",
		Cause: "Google withdrew the sign-in: you removed mailkey's access in your Google Account, it went unused for 6 months, " +
			"you changed your Google password, or there are too many sign-ins (about 100) for the same client and account. " +
			"A sign-in made while the app was still in Testing also ends after 7 days, even if you published the app since.",
		Fix:      "Sign in again in mailkey; your settings are kept.",
		Keywords: []string{"invalid_grant", "revoked", "password changed", "unused", "6 months", "refresh token"},
	},
	{
		ID:      "invalid-client",
		Symptom: "Google answers “invalid_client” (“The OAuth client was not found” or “Unauthorized”).",
		Cause:   "The client secret mailkey has is wrong or was disabled, or Google doesn't know the client ID.",
		Fix: "Open your Desktop app client on the Clients page, click Add secret, and enter the new secret in mailkey with the client ID " +
			"(Google shows it only once). A client that is gone from the list needs a new one (step 6).",
		Link:     clientsURL,
		Keywords: []string{"invalid_client", "401", "client secret", "not found", "unauthorized", "add secret"},
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
		Cause: "Google has not reviewed your app. That is normal: an app for your own use needs no review. " +
			"In Testing, a test user reads “You've been given access to an app that's currently being tested” with a Continue button; " +
			"once the app is published (“In production”), the warning hides the way on behind Advanced.",
		Fix: "Check that the app name is the one you chose at the Branding step. In Testing, click Continue. " +
			"In production, click Advanced, then Go to … (unsafe).",
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
		Cause:    "The message is over Gmail's limit as sent (35,882,577 bytes once encoded). Attachments grow by about a third when they are encoded for mail, so about 25 MB of files is the most one message can carry.",
		Fix:      "Send fewer or smaller attachments, or share large files as a link (for example from Google Drive).",
		Keywords: []string{"552", "5.3.4", "too big", "size", "attachment", "25 mb"},
	},
	{
		ID:      "no-app-passwords-page",
		Symptom: "The App passwords page is missing, or says the setting is not available for your account.",
		Cause: "Google offers app passwords only with 2-Step Verification turned on, and not on accounts with Advanced Protection " +
			"or whose only second step is a security key. On work or school accounts they are off unless the administrator allows them.",
		Fix: "Turn on 2-Step Verification if it is off. On a work or school account, ask your administrator. " +
			"If the page is still missing, use the sign-in with your own Google Cloud client instead of an app password.",
		Link:     TwoStepURL,
		Keywords: []string{"app passwords", "missing", "not available", "2-step", "2sv", "work", "school", "advanced protection", "security key"},
	},
}

// LinkFor returns t's link, opening the user's project when projectID is
// known and the link is a console page.
func (t Trouble) LinkFor(projectID string) string { return consoleLink(t.Link, projectID) }

// SignInPageTroubles are the entries for Google's own error pages, in the
// order a newcomer tends to meet them. Google shows these in the browser and
// never redirects back (GOOGLE.md), so mailkey says what they mean while it
// waits for the browser, not after.
func SignInPageTroubles() []Trouble {
	var out []Trouble
	for _, t := range Troubles {
		if t.Page != "" {
			out = append(out, t)
		}
	}
	return out
}

// What Google shows before its consent screen, by the app's publishing
// status (GOOGLE.md, "Publishing status"): the words, and what to click.
const (
	// WarningTesting is shown to a test user while the app is in Testing.
	WarningTesting = "Google then shows “Google hasn't verified this app — You've been given access to an app that's currently being tested. " +
		"You should only continue if you know the developer that invited you.” That is expected: the app is your own, " +
		"in your own Google Cloud project. Check the app name (the one you chose at step 3) and click Continue."
	// WarningProduction is shown once the app is published without verification.
	WarningProduction = "Google then shows “Google hasn't verified this app”. That is expected for an app you published without Google's review: " +
		"it is your own, in your own Google Cloud project. Click Advanced, then “Go to … (unsafe)”, where … is the app name you chose at step 3."
)

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
