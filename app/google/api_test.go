package google

import (
	"strings"
	"testing"
)

// disabledBody is Google's answer when the Gmail API is off in the project.
const disabledBody = `{"error":{"code":403,"message":"Gmail API has not been used in project 123 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/gmail.googleapis.com/overview?project=123 then retry.","errors":[{"message":"Gmail API has not been used in project 123 before or it is disabled.","domain":"usageLimits","reason":"accessNotConfigured","extendedHelp":"https://console.developers.google.com"}],"status":"PERMISSION_DENIED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"SERVICE_DISABLED","domain":"googleapis.com","metadata":{"service":"gmail.googleapis.com","consumer":"projects/123"}}]}}`

func TestParseAPIError(t *testing.T) {
	for _, tt := range []struct {
		name                    string
		body                    string
		ok, disabled, scope     bool
		code                    int
		status, project, reason string
	}{
		{name: "service disabled", body: disabledBody, ok: true, disabled: true, code: 403, status: "PERMISSION_DENIED", project: "123", reason: "accessNotConfigured"},
		{name: "only errors[] reason", body: `{"error":{"code":403,"errors":[{"reason":"accessNotConfigured"}]}}`, ok: true, disabled: true, code: 403, reason: "accessNotConfigured"},
		{
			name: "only details reason", body: `{"error":{"code":403,"status":"PERMISSION_DENIED","details":[{"reason":"SERVICE_DISABLED","metadata":{"consumer":"projects/987654"}}]}}`,
			ok: true, disabled: true, code: 403, status: "PERMISSION_DENIED", project: "987654", reason: "SERVICE_DISABLED",
		},
		{
			name: "scope insufficient", body: `{"error":{"code":403,"message":"Request had insufficient authentication scopes.","errors":[{"reason":"insufficientPermissions"}],"status":"PERMISSION_DENIED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"ACCESS_TOKEN_SCOPE_INSUFFICIENT"}]}}`,
			ok: true, scope: true, code: 403, status: "PERMISSION_DENIED", reason: "insufficientPermissions",
		},
		{
			name: "unauthenticated", body: `{"error":{"code":401,"message":"Request had invalid authentication credentials.","errors":[{"reason":"authError"}],"status":"UNAUTHENTICATED"}}`,
			ok: true, code: 401, status: "UNAUTHENTICATED", reason: "authError",
		},
		{name: "other permission denied", body: `{"error":{"code":403,"status":"PERMISSION_DENIED","message":"The caller does not have permission"}}`, ok: true, code: 403, status: "PERMISSION_DENIED"},
		{name: "not JSON", body: `<html>403 Forbidden</html>`},
		{name: "no error key", body: `{"emailAddress":"ann@gmail.com"}`},
		{name: "empty", body: ``},
		{name: "consumer not a project", body: `{"error":{"code":403,"details":[{"reason":"SERVICE_DISABLED","metadata":{"consumer":"folders/1"}}]}}`, ok: true, disabled: true, code: 403, reason: "SERVICE_DISABLED"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e, ok := ParseAPIError([]byte(tt.body))
			if ok != tt.ok {
				t.Fatalf("ok %v, want %v", ok, tt.ok)
			}
			if e.ServiceDisabled() != tt.disabled || e.ScopeInsufficient() != tt.scope {
				t.Errorf("disabled %v scope %v, want %v %v", e.ServiceDisabled(), e.ScopeInsufficient(), tt.disabled, tt.scope)
			}
			if e.Code != tt.code || e.Status != tt.status || e.ProjectNumber() != tt.project {
				t.Errorf("code %d status %q project %q", e.Code, e.Status, e.ProjectNumber())
			}
			if tt.reason != "" && (len(e.Reasons) == 0 || e.Reasons[0] != tt.reason) {
				t.Errorf("reasons %v, want first %q", e.Reasons, tt.reason)
			}
		})
	}
}

func FuzzParseAPIError(f *testing.F) {
	f.Add(disabledBody)
	f.Add(`{"error":{"code":401}}`)
	f.Add(`{"error":null}`)
	f.Fuzz(func(t *testing.T, body string) {
		e, ok := ParseAPIError([]byte(body))
		if !ok && (e.Code != 0 || len(e.Reasons) != 0) {
			t.Fatalf("not an error body, yet %+v", e)
		}
		_ = e.ServiceDisabled()
		_ = e.ProjectNumber()
	})
}

func TestGmailAPILink(t *testing.T) {
	got := GmailAPILink("mailkey-test")
	if !strings.Contains(got, "gmail.googleapis.com") || !strings.HasSuffix(got, "?project=mailkey-test") {
		t.Fatalf("link %q", got)
	}
	if GmailAPILink("") != "https://console.cloud.google.com/apis/library/gmail.googleapis.com" {
		t.Fatalf("link without project %q", GmailAPILink(""))
	}
}
