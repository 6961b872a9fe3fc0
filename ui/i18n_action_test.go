package ui

import (
	"testing"

	"github.com/mailkey-app/mailkey/app/advice"
)

// The GUI's words for each typed next action, in both languages, name the
// buttons and sections as they show themselves: the labels come from the
// buttons' own keys ({{.Button}}, {{.Section}}), so these texts read as
// they did when the labels were written out in them.
func TestActionTextsNameTheButtonsAsShown(t *testing.T) {
	defer useLanguage("en")
	want := map[string]map[advice.Action]string{
		"en": {
			advice.ActionAddAccount:          "Choose it in the list of accounts, or add it with Add account",
			advice.ActionSeeAccounts:         "Choose one in the list of accounts",
			advice.ActionSignInOAuth:         "Use the app password itself, or add the account again with Set up OAuth",
			advice.ActionEnterAppPassword:    "Enter it again with Replace app password on the account's page",
			advice.ActionNewAppPassword:      "Create a new app password and enter it with Replace app password on the account's page, then test again",
			advice.ActionRevokeRelayPassword: "Choose another label, or revoke that password first with its Revoke button under Device passwords",
			advice.ActionSeeRelayPasswords:   "The list of Device passwords on the account's page shows them",
			advice.ActionSeeQueue:            "Fix the cause, then click Send now in the relay section of the account's page",
			advice.ActionKeepRefreshing:      "Google deletes OAuth clients unused for about 6 months: send a message, or leave mailkey open, which refreshes the sign-in every 30 days",
		},
		"fr": {
			advice.ActionAddAccount:          "Choisissez-le dans la liste des comptes, ou ajoutez-le avec Ajouter un compte",
			advice.ActionSeeAccounts:         "Choisissez-en un dans la liste des comptes",
			advice.ActionSignInOAuth:         "Utilisez le mot de passe d'application lui-même, ou ajoutez à nouveau le compte avec Configurer OAuth",
			advice.ActionEnterAppPassword:    "Saisissez-le à nouveau avec Remplacer le mot de passe d'application sur la page du compte",
			advice.ActionNewAppPassword:      "Créez un nouveau mot de passe d'application et saisissez-le avec Remplacer le mot de passe d'application sur la page du compte, puis testez à nouveau",
			advice.ActionRevokeRelayPassword: "Choisissez un autre nom, ou révoquez d'abord ce mot de passe avec son bouton Révoquer sous Mots de passe d'appareils",
			advice.ActionSeeRelayPasswords:   "La liste Mots de passe d'appareils, sur la page du compte, les montre",
			advice.ActionSeeQueue:            "Corrigez la cause, puis cliquez sur Envoyer maintenant dans la partie relais de la page du compte",
			advice.ActionKeepRefreshing:      "Google supprime les clients OAuth inutilisés depuis environ 6 mois : envoyez un message, ou laissez mailkey ouvert, ce qui renouvelle la connexion tous les 30 jours",
		},
	}
	for _, code := range []string{"en", "fr"} {
		useLanguage(code)
		for a := advice.NoAction + 1; a <= advice.LastAction; a++ {
			if got := actionNext(a); got != want[code][a] {
				t.Errorf("%s, action %d:\n got %q\nwant %q", code, a, got, want[code][a])
			}
		}
	}
}
