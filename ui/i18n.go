package ui

import (
	"embed"
	"encoding/json"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/google"
)

// translations holds mailkey's texts in every language, as go-i18n JSON
// files: the screens' texts in <code>.json, where English is the source
// (every lang.X call in ui/ also carries the English text as its fallback),
// and app/'s texts in app-<package>.<code>.json, whose source is the English
// in app/ (see localText).
//
//go:embed translations
var translations embed.FS

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
		{"", lang.X("settings.language.system", "System")},
		{"en", "English"},
		{"fr", "Français"},
	}
}

var (
	langMu sync.Mutex
	// shownLanguage is the language the texts come in: "en" or "fr".
	shownLanguage = "en"
)

// useLanguage loads mailkey's translations and chooses their language,
// the one place that does: code "" follows the system locale (LANGUAGE,
// LC_ALL, LC_MESSAGES, LANG on Linux), "en" or "fr" overrides it. The
// process's environment is left alone. Fyne's lang package picks its
// language from the system locale only, so an override loads mailkey's
// texts of the chosen language under the language Fyne picks (see
// aliasLanguage); Fyne's own few texts (file dialogs) stay in the system's
// language. The rest of the GUI asks currentLanguage, and passes the
// language on where app/ needs words (the browser's page after sign-in,
// signInPage).
func useLanguage(code string) {
	langMu.Lock()
	defer langMu.Unlock()
	// English is the source and Fyne's fallback: loading it first also
	// undoes what an earlier override loaded under it.
	addTranslations("translations/en.json", "en")
	system := "en"
	for _, l := range screenLanguages {
		if l != "en" && picks(l) {
			system = l
		}
	}
	if system != "en" {
		addTranslations("translations/"+system+".json", system)
	}
	shownLanguage = system
	if code == "en" || code == "fr" {
		shownLanguage = code
	}
	shownKeys = nil
	if shownLanguage != system {
		aliasLanguage(shownLanguage, system)
		aliasLanguage(shownLanguage, lang.SystemLocale().LanguageString())
	}
	if shownLanguage != "en" {
		// app/'s texts are needed, and loaded, only in a language other
		// than English, their source: this keeps them off a start in English.
		for _, name := range languageFiles(shownLanguage) {
			if strings.HasPrefix(name, "translations/app-") {
				addTranslations(name, shownLanguage)
			}
		}
		shownKeys = translatedKeys(shownLanguage)
	}
}

// picks reports whether Fyne shows language l under the current locale
// variables. Fyne's own texts already make it choose among its languages
// (French included), so a one-key file for l asks the same question as l's
// whole file: a start in English then does not parse the 50 KB of French
// screen texts before its window maps (make bench, row 5). The choice cannot
// change later: a new language takes effect at the next start.
func picks(l string) bool {
	probe, err := json.Marshal(map[string]string{"language.code": l})
	if err == nil {
		err = lang.AddTranslationsForLocale(probe, fyne.Locale(l))
	}
	if err != nil {
		fyne.LogError("Could not probe the language "+l, err)
		return true
	}
	return lang.X("language.code", "en") == l
}

// addTranslations loads the translation file name as the texts of locale.
func addTranslations(name, locale string) {
	data, err := translations.ReadFile(name)
	if err == nil {
		err = lang.AddTranslationsForLocale(data, fyne.Locale(locale))
	}
	if err != nil {
		fyne.LogError("Could not load the translations "+name, err)
	}
}

// shownKeys holds the keys translated into the shown language, each with
// whether it has plural forms.
var shownKeys map[string]bool

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
	langMu.Lock()
	defer langMu.Unlock()
	plural, ok = shownKeys[key]
	return ok, plural
}

// aliasLanguage makes mailkey's texts come in language code although Fyne
// picks another one from the system (mailkey never changes the environment
// to steer it): it loads mailkey's translations of code under the system's
// language, and under English, the fallback Fyne uses for a language it does
// not know, so that Fyne's choice finds them. Fyne's own few texts (file
// dialogs) stay in the system's language.
func aliasLanguage(code, system string) {
	for _, target := range []string{system, "en"} {
		if target == code || target == "" {
			continue
		}
		for _, name := range languageFiles(code) {
			addTranslations(name, target)
		}
	}
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
	langMu.Lock()
	defer langMu.Unlock()
	return shownLanguage
}

// localStep returns st with its texts in the current language, looked up by
// the step's ID ("step.audience.title", …). A text missing from the
// translations stays in English.
func localStep(st google.Step) google.Step {
	if currentLanguage() == "en" {
		return st // app/google is the English source
	}
	k := "step." + st.ID + "."
	st.Title = lang.X(k+"title", st.Title)
	st.Do = lang.X(k+"do", st.Do)
	st.Why = lang.X(k+"why", st.Why)
	if st.Pitfall != "" {
		st.Pitfall = lang.X(k+"pitfall", st.Pitfall)
	}
	if st.Workspace != "" {
		st.Workspace = lang.X(k+"workspace", st.Workspace)
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

// localText returns t's two sentences in the current language: the
// translations of t.Key+".what" and t.Key+".next" (app-*.fr.json), filled
// with t.Data shown in that language. A text without a key or without a
// translation stays in English. A Count in the data chooses the plural form.
func localText(t advice.Text) (what, next string) {
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
			return lang.XN(key, english, count, data)
		}
		return lang.X(key, english, data)
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
	if len(data) > 0 {
		return lang.X(key, fallback, data[0])
	}
	return lang.X(key, fallback)
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
	return lang.XN(key, fallback, n, d)
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
	t.Symptom = lang.X(k+"symptom", t.Symptom)
	t.Cause = lang.X(k+"cause", t.Cause)
	t.Fix = lang.X(k+"fix", t.Fix)
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
