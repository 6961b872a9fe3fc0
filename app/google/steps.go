package google

import (
	"net/url"
	"strings"
)

// Step is one thing the user does on a Google page, explained for someone
// who has never heard of OAuth.
type Step struct {
	// ID names the step for code and tests, e.g. "audience".
	ID string
	// Title is a short heading.
	Title string
	// Do says what to click and type.
	Do string
	// Why says why the step is needed.
	Why string
	// Pitfall says what tends to go wrong at this step, or is "".
	Pitfall string
	// Workspace is what changes at this step for a work or school address
	// (Google Workspace, not @gmail.com), or "".
	Workspace string
	// URL is the page to open, or "" when the step happens in mailkey.
	URL string
}

// Link returns the step's URL with ?project=projectID appended, so that the
// console opens the right project. It returns the URL unchanged when
// projectID is empty or the step is the "project" step, whose page creates
// the project and so has none to open, and when the URL is not a console
// page. It returns "" for a step without a URL.
func (s Step) Link(projectID string) string {
	if s.ID == "project" {
		return s.URL
	}
	return consoleLink(s.URL, projectID)
}

// ConsoleStep returns the step of ConsoleSteps with the given ID.
func ConsoleStep(id string) (Step, bool) {
	for _, s := range ConsoleSteps {
		if s.ID == id {
			return s, true
		}
	}
	return Step{}, false
}

// StepLink returns the page of the console step id, in projectID's project
// when it is known (see Step.Link), or the console's start page when there is
// no such step.
func StepLink(id, projectID string) string {
	if s, ok := ConsoleStep(id); ok {
		return s.Link(projectID)
	}
	return consoleURL
}

// consoleLink returns link with ?project=projectID appended when link is a
// console page and projectID is not empty, else link unchanged.
func consoleLink(link, projectID string) string {
	projectID = strings.TrimSpace(projectID)
	if link == "" || projectID == "" || !strings.HasPrefix(link, consoleURL) {
		return link
	}
	u, err := url.Parse(link)
	if err != nil {
		return link
	}
	q := u.Query()
	q.Set("project", projectID)
	u.RawQuery = q.Encode()
	return u.String()
}

// Console pages, in the Google Auth Platform layout of 2025.
const (
	projectCreateURL = "https://console.cloud.google.com/projectcreate"
	gmailAPIURL      = "https://console.cloud.google.com/apis/library/gmail.googleapis.com"
	brandingURL      = "https://console.cloud.google.com/auth/branding"
	audienceURL      = "https://console.cloud.google.com/auth/audience"
	scopesURL        = "https://console.cloud.google.com/auth/scopes"
)

// ConsoleSteps are the seven steps in the Google Cloud console that give the
// user an OAuth client of their own, in order. Their IDs are "project",
// "gmail-api", "branding", "audience", "scopes", "client" and "download".
var ConsoleSteps = []Step{
	{
		ID:    "project",
		Title: "Create a Google Cloud project",
		Do: "Open the page, give the project any name, for example “mailkey”, and click Create. " +
			"Note the project ID Google shows under the name (it looks like mailkey-123456): " +
			"if you give it to mailkey, the links of the next steps open straight in this project.",
		Why: "Google lets a program ask you for permission only through a project. " +
			"The project is just a container for the settings of the next steps; it belongs to your Google account and only you use it.",
		Pitfall: "If you already have other projects, check that the new one is selected at the top of the console before you go on: " +
			"every following step changes whichever project is selected.",
		URL: projectCreateURL,
	},
	{
		ID:      "gmail-api",
		Title:   "Turn on the Gmail API",
		Do:      "Open the page and click Enable. If the button says Manage instead, it is already on.",
		Why:     "A project may only use the Google services switched on in it, and Gmail is off until you enable it.",
		Pitfall: "Check the project name at the top of the page: enabling Gmail in another project doesn't help this one.",
		URL:     gmailAPIURL,
	},
	{
		ID:    "branding",
		Title: "Name your app (Branding)",
		Do: "Enter an app name, for example “mailkey for me”, choose your own address as the user support email, " +
			"enter your address again as the developer contact, and save. " +
			"If the page shows a Get started button instead, click it: it asks for the same details.",
		Why: "Google shows this name when you sign in, so you can recognise that it is your own app asking for permission.",
		Pitfall: "While the app stays in Testing (step 4), the optional fields (logo, home page, privacy policy) can stay empty, " +
			"and no review by Google is needed for personal use. If you later publish the app, Google first asks here for " +
			"a home page, a link to a privacy policy and an authorised domain.",
		URL: brandingURL,
	},
	{
		ID:    "audience",
		Title: "Choose who may sign in (Audience)",
		Do: "Choose the user type External. Then, under Test users, click Add users, " +
			"enter the Gmail address you want to send from, and save. Leave the publishing status at Testing.",
		Why: "A new app starts in “Testing”: only the people on its Test users list (at most 100) may sign in to it. " +
			"That list is what keeps everyone else out.",
		Pitfall: "If you don't add yourself, Google shows its own page, “Access blocked: … has not completed the Google verification process … " +
			"Error 403: access_denied”, and never comes back to mailkey. " +
			"In Testing, Google ends each sign-in 7 days after it; mailkey shows the date and signs you in again with one click. " +
			"That is the simplest choice and always works. Publishing the app (Publish app, “In production”) lifts the 7-day limit " +
			"for sign-ins made after publishing, but Google first asks for a home page, a privacy policy link and an authorised domain " +
			"on the Branding page, and every sign-in then goes through “Google hasn't verified this app” (Advanced > Go to … (unsafe)).",
		Workspace: "Sending from a work or school address (Google Workspace, not @gmail.com)? If the project belongs to your organisation, " +
			"you can choose the user type Internal instead: only people of your organisation can sign in, with no Test users list, " +
			"no 7-day limit and no unverified-app warning. An address outside the organisation then gets “Error 403: org_internal”. " +
			"If your administrator allows only approved apps, Google shows “Error 400: admin_policy_enforced”: " +
			"ask the administrator to trust your app's client ID.",
		URL: audienceURL,
	},
	{
		ID:    "scopes",
		Title: "Allow mail (Data access)",
		Do: "Click Add or remove scopes, find " + ScopeMail + " (or type it under Manually add scopes), " +
			"tick it, click Update, then Save.",
		Why: "A scope is one permission your app may ask for. Sending through Gmail's mail server needs the full-mail permission " + ScopeMail + ". " +
			"While the app is in Testing this step is optional, but it makes the permission show on the sign-in screen.",
		Pitfall: "Google marks " + ScopeMail + " as a restricted scope and talks about verification: that is expected, " +
			"and an app for your own use needs no verification. Don't pick the narrower gmail.send scope instead: Gmail's mail server refuses it.",
		URL: scopesURL,
	},
	{
		ID:    "client",
		Title: "Create a Desktop app client",
		Do:    "Click Create client, choose the application type “Desktop app”, give it any name, and click Create.",
		Why: "The client is how mailkey introduces itself to Google when you sign in. " +
			"A Desktop app client lets your browser hand the answer back to mailkey on your own computer.",
		Pitfall: "Choose Desktop app, not Web application. Guides written for servers, such as SeaTable's or Odoo's, create a Web application client: " +
			"it needs an exact redirect address registered and would fail here with “redirect_uri_mismatch”. " +
			"A Desktop app client has no redirect field and needs none.",
		URL: clientsURL,
	},
	{
		ID:    "download",
		Title: "Copy the client ID and secret",
		Do: "In the dialog that appears after Create, copy the client ID and the client secret into mailkey, " +
			"or click Download JSON and give mailkey that file (client_secret_….json). " +
			"Do it before you close the dialog: Google shows the secret there once and never again.",
		Why: "The client ID and the client secret are what mailkey needs to start the sign-in.",
		Pitfall: "If you closed the dialog without the secret, open the client from the Clients list, click Add secret " +
			"and copy the new secret (it too is shown only once); you can then disable the old one. " +
			"If Download JSON fails, copying the two values works just as well. A service account key " +
			"(a file with “type”: “service_account”) is a different thing and can't send mail as you.",
		URL: clientsURL,
	},
}

// AppPasswordSteps are the steps that give the user an app password, in
// order. Their IDs are "two-step", "app-password" and "enter".
var AppPasswordSteps = []Step{
	{
		ID:    "two-step",
		Title: "Turn on 2-Step Verification",
		Do:    "Open the page and follow Google's prompts to turn on 2-Step Verification, for example with your phone.",
		Why:   "Google offers app passwords only on accounts protected by 2-Step Verification.",
		Pitfall: "If your only second step is a security key, or the account has Advanced Protection, Google won't offer app passwords. " +
			"On a work or school account they are off unless the administrator allows them. " +
			"Without app passwords, use the sign-in with your own Google Cloud client instead.",
		URL: TwoStepURL,
	},
	{
		ID:    "app-password",
		Title: "Create an app password",
		Do: "Enter the name “mailkey” and click Create. Google shows a password of 16 letters in four groups, " +
			"like “abcd efgh ijkl mnop”. Copy it.",
		Why: "An app password lets one program send mail as you without knowing your real password, " +
			"and you can delete it on the same page whenever you like.",
		Pitfall: "Google shows the password only once. If you lose it, delete it and create a new one. " +
			"If the page says the setting is not available, see the previous step.",
		URL: AppPasswordsURL,
	},
	{
		ID:    "enter",
		Title: "Enter it in mailkey",
		Do:    "Paste the app password into mailkey, next to your Gmail address. The spaces don't matter.",
		Why:   "Gmail's mail server accepts your address with an app password; it never accepts your normal Google password.",
		Pitfall: "Paste the app password, not your Google account password: Gmail refuses the account password with " +
			"“534-5.7.9 Application-specific password required”.",
	},
}

// ValidProjectID reports whether id has the form of a Google Cloud project
// ID: 6 to 30 characters of lowercase ASCII letters, digits and hyphens,
// starting with a letter and not ending with a hyphen.
func ValidProjectID(id string) bool {
	if len(id) < 6 || len(id) > 30 || id[0] < 'a' || id[0] > 'z' || id[len(id)-1] == '-' {
		return false
	}
	for _, c := range []byte(id) {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}
