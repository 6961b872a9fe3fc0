package ui

import (
	"embed"
	"encoding/json"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/google"
)

// translations holds mailkey's texts in every language, as go-i18n JSON
// files: the screens' texts in <code>.json, where English is the source
// (every tr call in ui/ also carries the English text as its fallback),
// and app/'s texts in app-<package>.<code>.json, whose source is the English
// in app/ (see localText).
//
//go:embed translations
var translations embed.FS

// fyneTexts holds Fyne's own texts (its dialogs' Cancel, Open…) in the
// screens' languages: copies of fyne.io/fyne/v2@v2.8.1's
// lang/translations/base.<code>.json (a test compares them), which Fyne
// embeds without exporting them. See useFyneLanguage.
//
//go:embed fynelang
var fyneTexts embed.FS

// screenLanguages are the languages of the screens' texts.
var screenLanguages = []string{"en", "fr"}

// prefLanguage is the Preferences key of the language setting: "" follows
// the system locale, "en" or "fr" overrides it.
const prefLanguage = "language"

// languageChoice is one entry of the Language setting.
type languageChoice struct{ code, name string }

// languageChoices are the values of the Language setting. The names are
// each in their own language, except System, which is translated.
func languageChoices() []languageChoice {
	return []languageChoice{
		{"", tr("settings.language.system", "System")},
		{"en", "English"},
		{"fr", "Français"},
	}
}

// translator gives mailkey's texts in one language, from its own go-i18n
// bundle: Fyne's lang package, which picks its language from the system
// locale, keeps only Fyne's own few texts (file dialogs), so that choosing
// mailkey's language needs no change to the process's environment.
type translator struct {
	// lang is the language the texts come in: "en" or "fr".
	lang string
	loc  *i18n.Localizer
	// keys holds the keys translated into lang, each with whether it has
	// plural forms; nil in English, the source.
	keys map[string]bool
}

// newTranslator loads the translations of language code ("en" or "fr"):
// English, the source and the fallback, and for another language its
// screen texts and app/'s texts (app-<package>.<code>.json). A start in
// English parses no French (make bench, row 5).
func newTranslator(code string) *translator {
	bundle := i18n.NewBundle(language.English)
	bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	files := []string{"translations/en.json"}
	if code != "en" {
		files = append(files, languageFiles(code)...)
	}
	for _, name := range files {
		data, err := translations.ReadFile(name)
		if err == nil {
			// go-i18n reads the language from the name's last part: fr.json, app-mail.fr.json.
			_, err = bundle.ParseMessageFileBytes(data, name)
		}
		if err != nil {
			fyne.LogError("Could not load the translations "+name, err)
		}
	}
	t := &translator{lang: code, loc: i18n.NewLocalizer(bundle, code)}
	if code != "en" {
		t.keys = translatedKeys(code)
	}
	return t
}

// x returns the translation of key, or fallback, with data filling the
// {{.Name}} placeholders of either; n, when not nil, chooses among the
// plural forms (the language's rule: French counts 0 as one).
func (t *translator) x(key, fallback string, n *int, data any) string {
	cfg := &i18n.LocalizeConfig{DefaultMessage: &i18n.Message{ID: key, Other: fallback}, TemplateData: data}
	if n != nil {
		cfg.PluralCount = *n
	}
	out, err := t.loc.Localize(cfg)
	if err != nil && out == "" {
		fyne.LogError("Translation failure", err)
		return advice.Render(fallback, dataOf(data))
	}
	return out
}

// dataOf returns data as advice.Data, for a fallback rendered without go-i18n.
func dataOf(data any) advice.Data {
	m, _ := data.(map[string]any)
	return m
}

var (
	langMu sync.Mutex
	// texts are mailkey's texts in the chosen language.
	texts = newTranslator("en")
)

// useLanguage chooses the language of mailkey's texts, the one place that
// does: code "" follows the system locale (LANGUAGE, LC_ALL, LC_MESSAGES,
// LANG on Linux) as Fyne reads it, "en" or "fr" overrides it, for Fyne's
// own texts too (useFyneLanguage). The process's environment is left alone. The rest of the GUI asks currentLanguage, and
// passes the language on where app/ needs words (the browser's page after
// sign-in, signInPage).
func useLanguage(code string) {
	chosen := code == "en" || code == "fr"
	if !chosen {
		code = "en"
		for _, l := range screenLanguages {
			if l != "en" && picks(l) {
				code = l
			}
		}
	}
	t := newTranslator(code)
	langMu.Lock()
	defer langMu.Unlock()
	texts = t
	if chosen { // else Fyne follows the system itself, in any of its languages
		useFyneLanguage(code)
	}
}

// fyneLocales are the languages Fyne v2.8.1 has its own texts in, as its
// lang/translations/base.<locale>.json name them (a test compares them),
// with English, its fallback.
var fyneLocales = []string{
	"cs", "de", "el", "en", "es", "fr", "ja", "pl", "pt", "pt-BR", "ru", "sv", "ta", "uk", "zh-Hans",
}

// useFyneLanguage makes Fyne's own texts (its dialogs' buttons) come in
// language code too. Fyne v2.8.1 has no call to choose its language: its
// lang package matches the system's locales (read from the environment by
// go-locale, in updateLocalizer) against the languages it has texts in,
// and its go-i18n bundle matches the result again, with no exported
// setter. What it matches need not be the system's language nor one of its
// parents: pt_BR gives pt-BR before pt, zh_CN gives zh-Hans, LANGUAGE=eo:de
// gives de. So Fyne's texts in code are loaded under every language Fyne
// has texts in: Fyne then shows code whatever it matched, and the
// environment is left alone. No other language is added: one Fyne has no
// texts in (fr-FR, en-001) would change what it matches, and picks with it.
func useFyneLanguage(code string) {
	data, err := fyneTexts.ReadFile("fynelang/base." + code + ".json")
	if err != nil {
		fyne.LogError("No Fyne texts in "+code, err)
		return
	}
	for _, target := range fyneLocales {
		if err := lang.AddTranslationsForLocale(data, fyne.Locale(target)); err != nil {
			fyne.LogError("Could not load Fyne's texts in "+code, err)
			return
		}
	}
}

// current returns the texts in the chosen language.
func current() *translator {
	langMu.Lock()
	defer langMu.Unlock()
	return texts
}

// picks reports whether Fyne shows language l under the current locale
// variables: the system's language as Fyne matches it among its own
// translations (French included). It asks with a one-key file for l.
func picks(l string) bool {
	probe, err := json.Marshal(map[string]string{"language.code": l})
	if err == nil {
		err = lang.AddTranslationsForLocale(probe, fyne.Locale(l))
	}
	if err != nil {
		fyne.LogError("Could not probe the language "+l, err)
		return false
	}
	return lang.X("language.code", "en") == l
}

// translatedKeys reads the keys of every translation file of language code
// (fr.json, app-mail.fr.json, …).
func translatedKeys(code string) map[string]bool {
	keys := map[string]bool{}
	for _, name := range languageFiles(code) {
		data, err := translations.ReadFile(name)
		if err != nil {
			continue
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(data, &m); err != nil {
			fyne.LogError("Could not read the translations "+name, err)
			continue
		}
		for k, v := range m {
			keys[k] = len(v) > 0 && v[0] == '{'
		}
	}
	return keys
}

// translated reports whether key has a translation in the shown language,
// and whether it has plural forms.
func translated(key string) (ok, plural bool) {
	plural, ok = current().keys[key]
	return ok, plural
}

// languageFiles returns the paths of the translation files of language code
// (translations/fr.json, translations/app-mail.fr.json, …).
func languageFiles(code string) []string {
	files, err := translations.ReadDir("translations")
	if err != nil {
		return nil
	}
	var out []string
	for _, f := range files {
		if f.Name() == code+".json" || strings.HasSuffix(f.Name(), "."+code+".json") {
			out = append(out, "translations/"+f.Name())
		}
	}
	return out
}

// currentLanguage is the language the texts come in: "en" or "fr".
func currentLanguage() string {
	return current().lang
}

// localStep returns st with its texts in the current language, looked up by
// the step's ID ("step.audience.title", …). A text missing from the
// translations stays in English.
func localStep(st google.Step) google.Step {
	if currentLanguage() == "en" {
		return st // app/google is the English source
	}
	k := "step." + st.ID + "."
	st.Title = tr(k+"title", st.Title)
	st.Do = tr(k+"do", st.Do)
	st.Why = tr(k+"why", st.Why)
	if st.Pitfall != "" {
		st.Pitfall = tr(k+"pitfall", st.Pitfall)
	}
	if st.Workspace != "" {
		st.Workspace = tr(k+"workspace", st.Workspace)
	}
	return st
}

// localSteps returns steps with their texts in the current language.
func localSteps(steps []google.Step) []google.Step {
	out := make([]google.Step, len(steps))
	for i, st := range steps {
		out[i] = localStep(st)
	}
	return out
}

// localAdvice returns err's advice, what happened and what to do, in the
// current language (see localText).
func localAdvice(err error) (what, next string) {
	return localText(advice.TextOf(err))
}

// actionNext is what to do next in the GUI's words, naming its buttons and
// screens, for the actions that each front end words itself; "" for the
// others. A button or a section is named by its own label ({{.Button}},
// {{.Section}}), so that the texts say what the screens show.
func actionNext(a advice.Action) string {
	replace := map[string]any{"Button": tr("compose.replace_app_password", "Replace app password")}
	devicePasswords := tr("relay.passwords", "Device passwords")
	switch a {
	case advice.ActionAddAccount:
		return tr("action.add_account", "Choose it in the list of accounts, or add it with {{.Button}}",
			map[string]any{"Button": tr("sidebar.add_account", "Add account")})
	case advice.ActionSeeAccounts:
		return tr("action.see_accounts", "Choose one in the list of accounts")
	case advice.ActionSignInOAuth:
		return tr("action.sign_in_oauth", "Use the app password itself, or add the account again with {{.Button}}",
			map[string]any{"Button": tr("welcome.setup_oauth", "Set up OAuth")})
	case advice.ActionEnterAppPassword:
		return tr("action.enter_app_password", "Enter it again with {{.Button}} on the account's page", replace)
	case advice.ActionNewAppPassword:
		return tr("action.new_app_password", "Create a new app password and enter it with {{.Button}} on the account's page, then test again", replace)
	case advice.ActionRevokeRelayPassword:
		return tr("action.revoke_relay_password", "Choose another label, or revoke that password first with its {{.Button}} button under {{.Section}}",
			map[string]any{"Button": tr("relay.revoke", "Revoke"), "Section": devicePasswords})
	case advice.ActionSeeRelayPasswords:
		return tr("action.see_relay_passwords", "The list of {{.Section}} on the account's page shows them",
			map[string]any{"Section": devicePasswords})
	case advice.ActionSeeQueue:
		return tr("action.see_queue", "Fix the cause, then click {{.Button}} in the relay section of the account's page",
			map[string]any{"Button": tr("relay.flush", "Send now")})
	case advice.ActionKeepRefreshing:
		return tr("action.keep_refreshing", "Google deletes OAuth clients unused for about 6 months: send a message, or leave mailkey open, which refreshes the sign-in every 30 days")
	}
	return ""
}

// localText returns t's two sentences in the current language: the
// translations of t.Key+".what" and t.Key+".next" (app-*.fr.json), filled
// with t.Data shown in that language. A text without a key or without a
// translation stays in English. A Count in the data chooses the plural form.
//
// A typed next action (t.Action) is said in the GUI's own words instead of
// t.Next, naming its buttons and screens (actionNext).
func localText(t advice.Text) (what, next string) {
	what, next = translateText(t)
	if n := actionNext(t.Action); n != "" {
		next = n
	}
	return what, next
}

// translateText returns t's two sentences in the current language.
func translateText(t advice.Text) (what, next string) {
	if currentLanguage() == "en" || t.Key == "" {
		return t.What, t.Next
	}
	data := localData(t.Data)
	count, hasCount := t.Data["Count"].(int)
	one := func(key, english string) string {
		ok, plural := translated(key)
		switch {
		case english == "":
			return ""
		case !ok:
			return english
		case plural && hasCount:
			return current().x(key, english, &count, data)
		}
		return current().x(key, english, nil, data)
	}
	return one(t.Key+".what", t.What), one(t.Key+".next", t.Next)
}

// localData returns d's values as the current language shows them: a
// duration in words, an error as its translated advice.
func localData(d advice.Data) map[string]any {
	out := make(map[string]any, len(d))
	for k, v := range d {
		switch v := v.(type) {
		case time.Duration:
			out[k] = localDuration(v)
		case error:
			out[k] = joinText(localAdvice(v))
		case advice.Text:
			out[k] = joinText(localText(v))
		case advice.Label:
			out[k] = tr("label."+strings.ToLower(string(v)), string(v))
		case int:
			out[k] = v
		case advice.Decimal:
			out[k] = decimal(float64(v))
		default:
			out[k] = advice.Format(v)
		}
	}
	return out
}

// joinText joins a text's two sentences as advice.Error's Error does.
func joinText(what, next string) string {
	if next == "" {
		return what
	}
	return strings.TrimRight(what, ". ") + ". " + next
}

// localDuration is advice.Duration in the current language.
func localDuration(d time.Duration) string {
	switch {
	case d >= time.Minute && d%time.Minute == 0:
		return trn("duration.minutes", "{{.Count}} minutes", int(d/time.Minute))
	case d >= time.Second:
		return trn("duration.seconds", "{{.Count}} seconds", int(d.Round(time.Second)/time.Second))
	}
	return d.String()
}

// tr returns the translation of key, or fallback; data fills the
// {{.Name}} placeholders of either.
func tr(key, fallback string, data ...map[string]any) string {
	var d any
	if len(data) > 0 {
		d = data[0]
	}
	return current().x(key, fallback, nil, d)
}

// trn is tr for a text that depends on a count: the translation files give
// its "one" and "other" forms, and {{.Count}} is n.
func trn(key, fallback string, n int, data ...map[string]any) string {
	d := map[string]any{"Count": n}
	if len(data) > 0 {
		for k, v := range data[0] {
			d[k] = v
		}
	}
	return current().x(key, fallback, &n, d)
}

// languageNote says when a change of language takes effect.
func languageNote() string {
	return tr("settings.language.note", "mailkey uses the new language the next time it starts.")
}

// localTrouble returns t with its texts in the current language, looked up
// by the entry's ID ("trouble.access-denied.symptom", …), like localStep.
func localTrouble(t google.Trouble) google.Trouble {
	if currentLanguage() == "en" {
		return t // app/google is the English source
	}
	k := "trouble." + t.ID + "."
	t.Symptom = tr(k+"symptom", t.Symptom)
	t.Cause = tr(k+"cause", t.Cause)
	t.Fix = tr(k+"fix", t.Fix)
	return t
}

// searchTroubles returns the troubleshooting entries that match query, in
// the current language. google.SearchTroubles knows only the English texts
// and keywords, so an entry also matches when every word of query is in its
// translated texts.
func searchTroubles(query string) []google.Trouble {
	found := map[string]bool{}
	for _, t := range google.SearchTroubles(query) {
		found[t.ID] = true
	}
	words := strings.Fields(strings.ToLower(query))
	var out []google.Trouble
	for _, t := range google.Troubles {
		lt := localTrouble(t)
		if !found[t.ID] && (currentLanguage() == "en" || len(words) == 0 ||
			!containsWords(strings.ToLower(lt.Symptom+" "+lt.Cause+" "+lt.Fix), words)) {
			continue
		}
		out = append(out, lt)
	}
	return out
}

func containsWords(text string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}
