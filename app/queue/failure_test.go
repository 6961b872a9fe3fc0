package queue

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/oauth"
)

// The queue's files keep a failure's facts, not its words: a message
// refused by the server is said again from the saved reply, with the
// same key, sentences and category, and its file holds neither.
func TestFailureSavedAsFacts(t *testing.T) {
	q, _ := newQueue(t)
	refused := mail.Explain(mail.Reply{Code: 550, Enhanced: "5.1.1", Text: "The email account that you tried to reach does not exist."}, false)
	google := oauth.Refusal{Code: "invalid_grant", Description: "Token has been expired or revoked.", Status: 400}.Explain()
	auth := advice.Keyed(oauth.ErrNeedsSignIn, "oauth.refresh_rejected", nil, "Google no longer accepts this account's sign-in (invalid_grant)", "Sign in again")
	around := advice.Keyed(refused, "engine.other", nil, "the engine's own words", "")
	missing := engine.Missing{Kind: engine.MissingAppPassword, Address: "ann@gmail.com"}.Explain()
	byTo := map[string]error{
		"nobody@example.com": refused, "google@example.com": google, "signin@example.com": auth, "around@example.com": around,
		"missing@example.com": missing,
	}
	for to, err := range byTo {
		if _, err := q.AddFailed(Item{Account: "ann@gmail.com", From: "ann@gmail.com", To: []string{to}}, strings.NewReader("x"), err); err != nil {
			t.Fatal(err)
		}
	}
	items, _, err := q.List()
	if err != nil || len(items) != 5 {
		t.Fatalf("%d items, %v", len(items), err)
	}
	for _, it := range items {
		data, err := os.ReadFile(filepath.Join(q.Dir(), it.ID+".json"))
		if err != nil {
			t.Fatal(err)
		}
		want := advice.TextOf(byTo[it.To[0]])
		for _, words := range []string{want.Key, want.What, want.Next, `"what"`, `"key"`} {
			if words != "" && strings.Contains(string(data), words) {
				t.Errorf("%s: the file holds %q:\n%s", it.To[0], words, data)
			}
		}
		got := it.LastError.Text()
		switch it.To[0] {
		case "nobody@example.com":
			if got.Key != want.Key || got.What != want.What || got.Next != want.Next || it.LastError.Category != advice.CategoryOf(refused) {
				t.Errorf("said again as %+v, want %+v", got, want)
			}
			if it.LastError.Kind != FailSend || it.LastError.Send.Reply.Code != 550 {
				t.Errorf("facts %+v", it.LastError)
			}
		case "google@example.com":
			if it.LastError.Kind != FailSignIn || it.LastError.Google.Description != "Token has been expired or revoked." ||
				got.What != want.What || got.Next != want.Next || !strings.Contains(got.What, "Token has been expired or revoked.") {
				t.Errorf("%+v said again as %+v, want %+v", it.LastError, got, want)
			}
		case "missing@example.com":
			if it.LastError.Kind != FailCredentialMissing || it.LastError.Missing.Address != "ann@gmail.com" || got.What != want.What ||
				got.Next != want.Next || got.Action != advice.ActionEnterAppPassword {
				t.Errorf("%+v said again as %+v, want %+v", it.LastError, got, want)
			}
		case "around@example.com":
			// Facts inside an error worded otherwise are not its facts.
			if it.LastError.Kind != FailOther || got.What != "the last try failed" {
				t.Errorf("%+v said as %+v", it.LastError, got)
			}
		case "signin@example.com":
			// Only the category is known of an error without facts: the
			// generic words for it.
			if it.LastError.Kind != FailOther || it.LastError.Category != advice.Auth || got.Next != "Sign in again" ||
				!strings.Contains(got.What, "last try failed") {
				t.Errorf("%+v said as %+v", it.LastError, got)
			}
		}
	}
}

// A record written before kinds ({key, data, what, next}) still loads: its
// old text is shown as it was (a Count a number again), and the next save
// writes a failure of kind "other" without the sentence.
func TestOldFailureRecordLoads(t *testing.T) {
	q, _ := newQueue(t)
	it := add(t, q, "bob@example.com", "hello")
	path := filepath.Join(q.Dir(), it.ID+".json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	old := `"state": "failed",
  "last_error": {"key": "mail.too_many_recipients", "data": {"Count": "120", "Max": "100"},
    "what": "the message has 120 recipients", "next": "Split the list"},`
	data = []byte(strings.Replace(string(data), `"state": "queued",`, old, 1))
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := q.Get(it.ID)
	if err != nil {
		t.Fatalf("old record: %v", err)
	}
	txt := got.LastError.Text()
	if got.State != StateFailed || txt.Key != "mail.too_many_recipients" || txt.What != "the message has 120 recipients" ||
		txt.Next != "Split the list" || txt.Data["Count"] != 120 || txt.Data["Max"] != "100" {
		t.Fatalf("old record read as %+v, %+v", got, txt)
	}
	if err := q.Retry(it.ID); err != nil {
		t.Fatal(err)
	}
	// Rewritten by the retry, the old record keeps its words until a new
	// try replaces them with facts.
	data, _ = os.ReadFile(path)
	if !strings.Contains(string(data), `"what": "the message has 120 recipients"`) || !strings.Contains(string(data), `"Count": "120"`) ||
		strings.Contains(string(data), `"kind"`) {
		t.Errorf("saved again as:\n%s", data)
	}
	if again, err := q.Get(it.ID); err != nil || again.LastError.Text().What != "the message has 120 recipients" {
		t.Fatalf("after the retry: %+v, %v", again, err)
	}
	// Nothing was lost: the message is still there, and goes out.
	s := &fakeSender{}
	if sum, err := q.Deliver(context.Background(), s, true); err != nil || sum.Sent != 1 {
		t.Fatalf("delivered %+v, %v", sum, err)
	}
	if _, err := q.Get(it.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("after delivery: %v", err)
	}
}

// The messages of a removed account say so, from the address saved.
func TestAccountRemovedSaidAgain(t *testing.T) {
	q, _ := newQueue(t)
	add(t, q, "bob@example.com", "x")
	failed, err := q.FailAccount("ann@gmail.com")
	if err != nil || len(failed) != 1 {
		t.Fatalf("%d failed, %v", len(failed), err)
	}
	it, err := q.Get(failed[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	txt := it.LastError.Text()
	if txt.Key != "queue.account_removed" || txt.What != "the account ann@gmail.com was removed from mailkey" || !strings.Contains(txt.Next, "mailkey login") {
		t.Errorf("said as %+v", txt)
	}
}

// A failure without facts is said by its category, in words of its own for
// each, with a next step and its next action.
func TestOtherFailureSaidByCategory(t *testing.T) {
	seen := map[string]bool{}
	for c := advice.Failure; c <= advice.Keyring; c++ {
		txt := (&Failure{Kind: FailOther, Category: c, Action: advice.ActionAddAccount}).Text()
		if !strings.HasPrefix(txt.What, "the last try failed") || txt.Key == "" || txt.Next == "" || txt.Action != advice.ActionAddAccount {
			t.Errorf("%v: %+v", c, txt)
		}
		seen[txt.Key] = true
	}
	if len(seen) != int(advice.Keyring-advice.Failure)+1 {
		t.Errorf("%d texts: %v", len(seen), seen)
	}
	if txt := (&Failure{Kind: "from_a_newer_mailkey", Category: advice.Temporary}).Text(); txt.Key != "queue.last_try_failed_temporary" {
		t.Errorf("unknown kind said as %+v", txt)
	}
	newer := &Failure{Kind: FailSMTPURL, Category: advice.Usage, SMTPURL: &mail.BadEndpoint{URL: "smtp://x", Problem: "from_a_newer_mailkey"}}
	if txt := newer.Text(); txt.Key != "queue.last_try_failed_usage" || txt.Next == "" {
		t.Errorf("unknown SMTP URL problem said as %+v", txt)
	}
}
