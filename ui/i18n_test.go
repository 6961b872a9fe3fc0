package ui

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/export"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"github.com/mailkey-app/mailkey/app/google"
)

// frenchHarness opens the app with the Language setting on Français, as the
// next start after choosing it would.
func frenchHarness(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t)
	h.app.Preferences().SetString(prefLanguage, "fr")
	h.g = h.newWindow()
	t.Cleanup(func() { useLanguage("en") })
	if got := currentLanguage(); got != "fr" {
		t.Fatalf("language %q after choosing Français", got)
	}
	return h
}

func containsAll(t *testing.T, what, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q; it says:\n%s", what, w, text)
		}
	}
}

func TestFrenchWelcomeChecklistAndAdvice(t *testing.T) {
	h := frenchHarness(t)

	w := welcomeScreen(t, h)
	containsAll(t, "welcome screen", strings.Join(apTexts(w.content()), "\n"),
		"Envoyer du courrier avec votre compte Gmail", "Mot de passe d'application",
		"validation en deux étapes", "Utiliser un mot de passe d'application", "Configurer OAuth")
	if strings.Contains(w.useAppPassword.Text, "app password") {
		t.Errorf("button still in English: %q", w.useAppPassword.Text)
	}

	c := showChecklistIn(h, h.g)
	containsAll(t, "checklist step 4", strings.Join(apTexts(c.cards[3].card), "\n"),
		"Étape 4 sur 7 : Choisir qui peut se connecter (Audience)", "Que faire", "Utilisateurs test", "Pourquoi", "Ouvrir dans le navigateur")
	if got := c.cards[3].done.Text; got != "Fait" {
		t.Errorf("Done tick says %q", got)
	}
	if got := c.progress.Text; got != "0 étape sur 7 terminée." {
		t.Errorf("progress %q", got)
	}
	test.Tap(c.cards[0].done)
	test.Tap(c.cards[1].done)
	h.settle()
	if got := c.progress.Text; got != "2 étapes sur 7 terminées." {
		t.Errorf("progress %q", got)
	}

	// A wrong app password: Gmail's 535 reply, with the advice in French.
	ap := apOpen(t, h, "")
	ap.smtp.entry.SetText(h.gm.SMTP.StartTLSURL())
	test.Type(ap.form.address, ann)
	test.Type(ap.form.password, "zzzz zzzz zzzz zzzz")
	test.Tap(ap.check.save)
	h.settle()
	containsAll(t, "advice for a rejected app password", ap.form.passwordHint.text.Text,
		"Gmail n'a pas accepté l'adresse et le mot de passe d'application (535", "Vérifiez l'adresse", google.AppPasswordsURL)
}

func TestLanguageSettingIsSaved(t *testing.T) {
	h := newHarness(t)
	h.g.showHelp()
	hp := h.g.stage.current.(*help)
	if hp.language.Selected != "English" {
		t.Fatalf("Language shows %q, want English (the harness's choice)", hp.language.Selected)
	}
	hp.language.SetSelected("Français")
	if got := h.app.Preferences().String(prefLanguage); got != "fr" {
		t.Fatalf("saved language %q, want fr", got)
	}
	if !hp.languageNote.Visible() || !strings.Contains(hp.languageNote.Text, "next time it starts") {
		t.Errorf("note %q (shown %v)", hp.languageNote.Text, hp.languageNote.Visible())
	}
	hp.language.SetSelected("System")
	if got := h.app.Preferences().String(prefLanguage); got != "" {
		t.Fatalf("saved language %q for System, want empty", got)
	}
}

func TestSystemLanguageFollowsLocale(t *testing.T) {
	t.Setenv("LANGUAGE", "")
	t.Setenv("LC_ALL", "fr_FR.UTF-8")
	useLanguage("")
	t.Cleanup(func() { useLanguage("en") })
	if got := currentLanguage(); got != "fr" {
		t.Fatalf("language %q under LC_ALL=fr_FR.UTF-8", got)
	}
	if got := tr("welcome.title", "Send mail as your Gmail account"); got != "Envoyer du courrier avec votre compte Gmail" {
		t.Fatalf("welcome title %q", got)
	}
	// An override does not leak into the environment of programs mailkey starts.
	useLanguage("en")
	if os.Getenv("LC_ALL") != "fr_FR.UTF-8" || os.Getenv("LANGUAGE") != "" {
		t.Fatalf("environment changed: LC_ALL=%q LANGUAGE=%q", os.Getenv("LC_ALL"), os.Getenv("LANGUAGE"))
	}
}

// readTranslations returns the keys of one translation file, and for each
// key whether it has plural forms.
func readTranslations(t *testing.T, name string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("translations", name))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return m
}

func TestTranslationFilesHaveTheSameKeys(t *testing.T) {
	en, fr := readTranslations(t, "en.json"), readTranslations(t, "fr.json")
	for k, v := range en {
		fv, ok := fr[k]
		if !ok {
			t.Errorf("fr.json lacks %q", k)
			continue
		}
		_, ePlural := v.(map[string]any)
		_, fPlural := fv.(map[string]any)
		if ePlural != fPlural {
			t.Errorf("%q is plural in one file only", k)
		}
		if fs, ok := fv.(string); ok && strings.TrimSpace(fs) == "" {
			t.Errorf("fr.json: %q is empty", k)
		}
	}
	for k := range fr {
		if _, ok := en[k]; !ok {
			t.Errorf("en.json lacks %q", k)
		}
	}
}

// keyUse matches the keys passed to tr, trn and lang's functions in ui/.
var keyUse = regexp.MustCompile(`\b(?:tr|trn|lang\.X|lang\.XN)\(\s*"([^"]+)"`)

func TestEveryKeyUsedIsInBothFiles(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]string{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range keyUse.FindAllStringSubmatch(string(src), -1) {
			used[m[1]] = f
		}
	}
	// Keys built from data: the steps' and troubles' texts by ID.
	for _, st := range slices.Concat(google.ConsoleSteps, google.AppPasswordSteps) {
		for _, part := range []string{"title", "do", "why"} {
			used["step."+st.ID+"."+part] = "app/google"
		}
		if st.Pitfall != "" {
			used["step."+st.ID+".pitfall"] = "app/google"
		}
		if st.Workspace != "" {
			used["step."+st.ID+".workspace"] = "app/google"
		}
	}
	for _, tb := range google.Troubles {
		for _, part := range []string{"symptom", "cause", "fix"} {
			used["trouble."+tb.ID+"."+part] = "app/google"
		}
	}
	if len(used) < 50 {
		t.Fatalf("found only %d keys; is the pattern still right?", len(used))
	}
	en, fr := readTranslations(t, "en.json"), readTranslations(t, "fr.json")
	for _, k := range slices.Sorted(maps.Keys(used)) {
		if strings.HasSuffix(k, ".") { // a key built at run time: "label." + name
			n := 0
			for ek := range en {
				if strings.HasPrefix(ek, k) {
					n++
					if _, ok := fr[ek]; !ok {
						t.Errorf("fr.json lacks %q", ek)
					}
				}
			}
			if n == 0 {
				t.Errorf("%s builds keys from %q, but en.json has none", used[k], k)
			}
			continue
		}
		if _, ok := en[k]; !ok {
			t.Errorf("%s uses %q, missing from en.json", used[k], k)
		}
		if _, ok := fr[k]; !ok {
			t.Errorf("%s uses %q, missing from fr.json", used[k], k)
		}
	}
}

// The English troubleshooting entries in en.json are copies of app/google's.
func TestEnglishTroublesMatchAppGoogle(t *testing.T) {
	en := readTranslations(t, "en.json")
	for _, tb := range google.Troubles {
		for part, text := range map[string]string{"symptom": tb.Symptom, "cause": tb.Cause, "fix": tb.Fix} {
			if k := "trouble." + tb.ID + "." + part; en[k] != text {
				t.Errorf("en.json %q = %q, app/google says %q", k, en[k], text)
			}
		}
	}
}

func TestFrenchHelp(t *testing.T) {
	h := frenchHarness(t)
	hp := openHelp(t, h)
	hp.search.SetText("535")
	h.settle()
	if len(hp.list.Items) != 1 {
		t.Fatalf("%d entries for 535", len(hp.list.Items))
	}
	containsAll(t, "help entry 535", hp.list.Items[0].Title+"\n"+strings.Join(apTexts(hp.list.Items[0].Detail), "\n"),
		"Gmail répond « 535-5.7.8 Username and Password not accepted »", "Pourquoi cela arrive",
		"L'adresse ou le mot de passe d'application est incorrect", "Vérifiez l'adresse.")
	// A French word finds the entry too.
	hp.search.SetText("quotidienne")
	h.settle()
	if ids := helpShownIDs(hp); len(ids) != 1 || ids[0] != "smtp-550-daily-limit" {
		t.Errorf("search quotidienne shows %v", ids)
	}
}

// The English steps in en.json are copies of app/google's, which stay the
// source: the test catches a step changed in one place only.
func TestEnglishStepsMatchAppGoogle(t *testing.T) {
	en := readTranslations(t, "en.json")
	for _, st := range slices.Concat(google.ConsoleSteps, google.AppPasswordSteps) {
		for part, text := range map[string]string{"title": st.Title, "do": st.Do, "why": st.Why, "pitfall": st.Pitfall, "workspace": st.Workspace} {
			if text == "" {
				continue
			}
			if k := "step." + st.ID + "." + part; en[k] != text {
				t.Errorf("en.json %q = %q, app/google says %q", k, en[k], text)
			}
		}
	}
}

func TestFrenchSignIn(t *testing.T) {
	h := frenchHarness(t)
	s := showSignInFor(h, "")
	containsAll(t, "sign-in screen", strings.Join(apTexts(s.content()), "\n"),
		"Se connecter avec votre client Google Cloud", "Donner votre client à mailkey", "Code secret du client",
		"Choisir le fichier…", "« Accéder à … (non sécurisé) »")
	importClientFile(h, s, h.gm.ClientFile)
	test.Tap(s.login.signInBtn)
	h.settle()
	if got, want := s.signedIn.Text, "Vous êtes connecté en tant que "+ann+"."; got != want {
		t.Errorf("signed in: %q, want %q", got, want)
	}
	if s.publishChoice.Selected != "Test" {
		t.Errorf("publishing choice %q", s.publishChoice.Selected)
	}
	test.Tap(s.saveBtn)
	h.settle()
	if !regexp.MustCompile(`^Enregistré\. Google mettra fin à cette connexion le (lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) \d+ \p{L}+ \d{4} à \d\d:\d\d ;`).MatchString(s.saveStatus.Text) {
		t.Errorf("after Save: %q", s.saveStatus.Text)
	}
}

func TestFrenchCompose(t *testing.T) {
	h := frenchHarness(t)
	composeLoginAnn(t, h)
	c := openCompose(t, h, ann, true)
	containsAll(t, "compose screen", strings.Join(apTexts(c.root), "\n"),
		"M'envoyer un e-mail de test", "Pièces jointes", "Ajouter un fichier…", "Envoyer")
	if c.subject.Text != "Test de mailkey" {
		t.Errorf("subject %q", c.subject.Text)
	}
	c.onDropped([]fyne.URI{storage.NewFileURI(composeWriteFile(t, "note.txt", "hello attachment\n"))})
	h.settle()
	if len(c.attach.rows) != 1 || c.attach.rows[0].size.Text != "17 octets" {
		t.Fatalf("attachment rows %d, size %q", len(c.attach.rows), c.attach.rows[0].size.Text)
	}
	test.Tap(c.sending.send)
	h.settle()
	if !regexp.MustCompile(`^Envoyé\. Message-ID : <[^>]+>\nTransport : SMTP\nArrivé dans votre boîte de réception après [0-9]+,[0-9] s\.\nAuthentification : SPF pass, DKIM pass, DMARC pass\.$`).MatchString(c.sending.result.Text) {
		t.Errorf("result %q", c.sending.result.Text)
	}
}

func TestFrenchAccount(t *testing.T) {
	h := frenchHarness(t)
	composeLoginAnn(t, h)
	s := openAccount(t, h, ann)
	if s.details.method.Text != "Mot de passe d'application" {
		t.Errorf("method %q", s.details.method.Text)
	}
	containsAll(t, "account screen", strings.Join(apTexts(s.root), "\n"),
		"Vérifier la connexion", "Rédiger", "Ce que mailkey peut vérifier avec la connexion de ce compte")
	test.Tap(s.actions.checkConn)
	h.settle()
	if got, want := s.actions.result.Text, "OK : le serveur a accepté la connexion de "+ann+"."; got != want {
		t.Errorf("check result %q, want %q", got, want)
	}
}

func TestFrenchHealthTitles(t *testing.T) {
	frenchHarness(t)
	got := healthLine(engine.Check{ID: engine.CheckAPI, Title: "Gmail API enabled", OK: true}) + "\n" +
		healthLine(engine.Check{ID: engine.CheckSMTP, Title: "SMTP login accepted"})
	containsAll(t, "health lines", got, "✓ API Gmail activée", "✗ Connexion SMTP acceptée")
}

func TestFrenchExportLabels(t *testing.T) {
	frenchHarness(t)
	got := exportLabel(export.LabelServer) + " / " + exportLabel(export.LabelMethod) + " / " +
		exportValue(export.Field{Label: export.LabelMethod, Value: "Normal password (PLAIN), with the app password"}, account.AppPassword)
	containsAll(t, "export labels", got, "Serveur", "Authentification", "mot de passe d'application")
}

// The Language setting wins over the system's language whatever the
// locale says, without a change to the environment of the process (that
// programs mailkey starts inherit): mailkey's texts come from its own
// translator, not from the language Fyne picks. Plural forms follow the
// chosen language's rule (French counts 0 as one).
func TestLanguageOverrideWithoutLocale(t *testing.T) {
	t.Cleanup(func() { useLanguage("en") })
	for _, system := range []string{"de", "ko", "fr"} {
		locale := system + "_" + strings.ToUpper(system) + ".UTF-8"
		t.Setenv("LANGUAGE", "")
		t.Setenv("LC_ALL", locale)
		override := map[string]string{"de": "fr", "ko": "fr", "fr": "en"}[system]
		useLanguage(override)
		if got := tr("language.code", "?"); got != override || currentLanguage() != override {
			t.Fatalf("system %s, override %s: language.code %q, currentLanguage %q", system, override, got, currentLanguage())
		}
		want := map[string]string{"fr": "Envoyer du courrier avec votre compte Gmail", "en": "Send mail as your Gmail account"}[override]
		if got := tr("welcome.title", "?"); got != want {
			t.Fatalf("system %s, override %s: welcome title %q", system, override, got)
		}
		what, _ := localText(advice.Text{Key: "doctor.api_off", What: "?"})
		if override == "fr" && what != "L'API Gmail est désactivée dans votre projet Google Cloud" {
			t.Fatalf("system %s, override fr: an app/ text says %q", system, what)
		}
		if got := trn("checklist.progress", "{{.Count}} of {{.Total}} steps done.", 0, map[string]any{"Total": 7}); override == "fr" && got != "0 étape sur 7 terminée." {
			t.Fatalf("system %s, override fr: progress %q", system, got)
		}
		if os.Getenv("LC_ALL") != locale || os.Getenv("LANGUAGE") != "" {
			t.Fatalf("environment changed: LC_ALL=%q LANGUAGE=%q", os.Getenv("LC_ALL"), os.Getenv("LANGUAGE"))
		}
	}
}
