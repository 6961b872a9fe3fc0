package engine_test

import (
	"errors"
	"testing"

	"github.com/mailkey-app/mailkey/app/engine/enginetest"
	"github.com/mailkey-app/mailkey/app/secret"
)

// A side keyring keeps its items as part/name beside the accounts' secrets,
// and no name reaches an account's own secret.
func TestSideKeyringReachesNoAccountSecret(t *testing.T) {
	ctx := t.Context()
	env := enginetest.New(t, enginetest.InMemory())
	if err := env.Secrets.Set(ctx, enginetest.User, secret.AppPassword, enginetest.AppPassword); err != nil {
		t.Fatal(err)
	}
	k := env.Engine.SideKeyring("relay-password")
	if err := k.Set(ctx, enginetest.User, "nas", "s3cret"); err != nil {
		t.Fatal(err)
	}
	if v, err := env.Secrets.Get(ctx, enginetest.User, secret.Kind("relay-password/nas")); err != nil || v != "s3cret" {
		t.Fatalf("the item relay-password/nas: %q, %v", v, err)
	}
	for _, name := range []string{string(secret.AppPassword), "../" + string(secret.AppPassword), ""} {
		if v, err := k.Get(ctx, enginetest.User, name); !errors.Is(err, secret.ErrNotFound) {
			t.Errorf("name %q reads %q, %v", name, v, err)
		}
	}
	if err := k.Delete(ctx, enginetest.User, "nas"); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Secrets.Get(ctx, enginetest.User, secret.Kind("relay-password/nas")); !errors.Is(err, secret.ErrNotFound) {
		t.Errorf("after Delete: %v", err)
	}
	if v, err := env.Secrets.Get(ctx, enginetest.User, secret.AppPassword); err != nil || v != enginetest.AppPassword {
		t.Errorf("the app password: %q, %v", v, err)
	}
	for _, part := range []string{"", "app-password/x", "Relay"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("part %q: no panic", part)
				}
			}()
			env.Engine.SideKeyring(part)
		}()
	}
}
