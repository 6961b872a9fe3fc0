// googleSays mirrors testdata/google: TestGoogleSaysIsTheCorpus fails when they differ.

package testpeer

// said is one reply of the corpus: its HTTP status (0 for SMTP) and body.
type said struct {
	status int
	body   string
}

// googleSays holds every corpus entry the peers send, by name: the exact words
// of Google's servers (see testdata/google for each one's source).
var googleSays = map[string]said{
	"api/auth-error": {401, `{
  "error": {
    "code": 401,
    "message": "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
    "errors": [
      {
        "message": "Invalid Credentials",
        "domain": "global",
        "reason": "authError",
        "location": "Authorization",
        "locationType": "header"
      }
    ],
    "status": "UNAUTHENTICATED"
  }
}`},
	"api/daily-sending-limit": {429, `{
  "error": {
    "code": 429,
    "message": "User-rate limit exceeded.  Retry after 2026-12-01T14:32:07.412Z (Mail sending)",
    "errors": [
      {
        "message": "User-rate limit exceeded.  Retry after 2026-12-01T14:32:07.412Z (Mail sending)",
        "domain": "usageLimits",
        "reason": "rateLimitExceeded"
      }
    ],
    "status": "RESOURCE_EXHAUSTED"
  }
}`},
	"api/mail-service-not-enabled": {400, `{
  "error": {
    "code": 400,
    "message": "Mail service not enabled",
    "errors": [
      {
        "message": "Mail service not enabled",
        "domain": "global",
        "reason": "failedPrecondition"
      }
    ],
    "status": "FAILED_PRECONDITION"
  }
}`},
	"api/rate-limit-403": {403, `{
  "error": {
    "errors": [
      {
        "domain": "usageLimits",
        "reason": "rateLimitExceeded",
        "message": "Rate Limit Exceeded"
      }
    ],
    "code": 403,
    "message": "Rate Limit Exceeded"
  }
}`},
	"api/rate-limit-429-quota-metric": {429, `{
  "error": {
    "code": 429,
    "message": "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'gmail.googleapis.com' for consumer 'project_number:123456789012'.",
    "errors": [
      {
        "message": "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'gmail.googleapis.com' for consumer 'project_number:123456789012'.",
        "domain": "usageLimits",
        "reason": "rateLimitExceeded"
      }
    ],
    "status": "RESOURCE_EXHAUSTED",
    "details": [
      {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": "RATE_LIMIT_EXCEEDED",
        "domain": "googleapis.com",
        "metadata": {
          "consumer": "projects/123456789012",
          "quota_limit": "QueriesPerMinutePerUser",
          "quota_metric": "gmail.googleapis.com/default",
          "service": "gmail.googleapis.com"
        }
      }
    ]
  }
}`},
	"api/recipient-required": {400, `{
  "error": {
    "code": 400,
    "message": "Recipient address required",
    "errors": [
      {
        "message": "Recipient address required",
        "domain": "global",
        "reason": "invalidArgument"
      }
    ],
    "status": "INVALID_ARGUMENT"
  }
}`},
	"api/scope-insufficient": {403, `{
  "error": {
    "code": 403,
    "message": "Request had insufficient authentication scopes.",
    "errors": [
      {
        "message": "Insufficient Permission",
        "domain": "global",
        "reason": "insufficientPermissions"
      }
    ],
    "status": "PERMISSION_DENIED",
    "details": [
      {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
        "domain": "googleapis.com",
        "metadata": {
          "method": "caribou.api.proto.MailboxService.SendMessage",
          "service": "gmail.googleapis.com"
        }
      }
    ]
  }
}`},
	"api/service-disabled": {403, `{
  "error": {
    "code": 403,
    "message": "Gmail API has not been used in project 123456789012 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/gmail.googleapis.com/overview?project=123456789012 then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.",
    "errors": [
      {
        "message": "Gmail API has not been used in project 123456789012 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/gmail.googleapis.com/overview?project=123456789012 then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.",
        "domain": "usageLimits",
        "reason": "accessNotConfigured",
        "extendedHelp": "https://console.developers.google.com"
      }
    ],
    "status": "PERMISSION_DENIED",
    "details": [
      {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": "SERVICE_DISABLED",
        "domain": "googleapis.com",
        "metadata": {
          "activationUrl": "https://console.developers.google.com/apis/api/gmail.googleapis.com/overview?project=123456789012",
          "consumer": "projects/123456789012",
          "containerInfo": "123456789012",
          "service": "gmail.googleapis.com",
          "serviceTitle": "Gmail API"
        }
      },
      {
        "@type": "type.googleapis.com/google.rpc.LocalizedMessage",
        "locale": "en-US",
        "message": "Gmail API has not been used in project 123456789012 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/gmail.googleapis.com/overview?project=123456789012 then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry."
      },
      {
        "@type": "type.googleapis.com/google.rpc.Help",
        "links": [
          {
            "description": "Google developers console API activation",
            "url": "https://console.developers.google.com/apis/api/gmail.googleapis.com/overview?project=123456789012"
          }
        ]
      }
    ]
  }
}`},
	"smtp/334-xoauth2-invalid-token": {0, `334 eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIiwic2NvcGUiOiJodHRwczovL21haWwuZ29vZ2xlLmNvbS8ifQ==`},
	"smtp/334-xoauth2-wrong-scope":   {0, `334 eyJzdGF0dXMiOiI0MDAiLCJzY2hlbWVzIjoiQmVhcmVyIiwic2NvcGUiOiJodHRwczovL21haWwuZ29vZ2xlLmNvbS8ifQ==`},
	"smtp/452-too-many-recipients": {0, `452-4.5.3 Your message has too many recipients. For more information regarding
452-4.5.3 Google's sending limits, go to
452 4.5.3  https://support.google.com/mail/?p=TooManyRecipientsError 6a1803df08f44-6d8a1b2c3d4sm1234567d6.45 - gsmtp`},
	"smtp/454-too-many-logins": {0, `454-4.7.0 Too many login attempts, please try again later. For more information,
454-4.7.0 go to
454 4.7.0  https://support.google.com/mail/?p=LoginAttempts 98e67ed59e1d1-2f4f1b2c3d4sm1234567a91.31 - gsmtp`},
	"smtp/501-cannot-decode": {0, `501 5.5.2 Cannot Decode response 98e67ed59e1d1-2f4f1b2c3d4sm1234567a91.32 - gsmtp`},
	"smtp/504-xoauth":        {0, `504 5.7.4 XOAUTH is no longer supported. 2adb3069b0e04-5439a1b2c3dsm1234567e87.15 - gsmtp`},
	"smtp/530-authentication-required": {0, `530-5.7.0 Authentication Required. For more information, go to
530 5.7.0  https://support.google.com/mail/?p=WantAuthError 00721157ae682-6ef1a2b3c4dsm1234567b3.25 - gsmtp`},
	"smtp/530-starttls-first": {0, `530 5.7.0 Must issue a STARTTLS command first. 41be03b00d2f7-7fd1a2b3c4dsm1234567a12.33 - gsmtp`},
	"smtp/534-app-password-required": {0, `534-5.7.9 Application-specific password required. For more information, go to
534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor d2e1a72fcca58-7a2f1b3c4d5sm1234567b3a.12 - gsmtp`},
	"smtp/534-web-login": {0, `534-5.7.9 Please log in with your web browser and then try again. For more
534-5.7.9 information, go to
534 5.7.9  https://support.google.com/mail/?p=WebLoginRequired a640c23a62f3a-ab7b2ba4b8fsm1234566b.41 - gsmtp`},
	"smtp/535-bad-credentials": {0, `535-5.7.8 Username and Password not accepted. For more information, go to
535 5.7.8  https://support.google.com/mail/?p=BadCredentials 5b1f17b1804b1-42b9b9ab2d1sm47117825e9.2 - gsmtp`},
	"smtp/550-daily-limit": {0, `550-5.4.5 Daily user sending limit exceeded. For more information on Gmail
550-5.4.5 sending limits go to
550 5.4.5  https://support.google.com/a/answer/166852 d75a77b69052e-4b0a1b2c3d4sm1234567cf.33 - gsmtp`},
	"smtp/550-too-many-recipients": {0, `550 5.5.3 Too many recipients for this sender. 3f1490d57ef6-e3a1b2c3d4sm1234567276.20 - gsmtp`},
	"smtp/552-blocked-content": {0, `552-5.7.0 This message was blocked because its content presents a potential
552-5.7.0 security issue. Please visit
552-5.7.0  https://support.google.com/mail/?p=BlockedMessage to review our
552 5.7.0 message content and attachment content guidelines. d9443c01a7336-2a0f0b8c1e4sm1234567c.46 - gsmtp`},
	"smtp/552-illegal-attachment": {0, `552-5.7.0 Our system detected an illegal attachment on your message. Please
552-5.7.0 visit https://support.google.com/mail/?p=BlockedMessage to review our
552 5.7.0 attachment guidelines. 5b1f17b1804b1-42b9b9ab2d1sm47117825e9.3 - gsmtp`},
	"smtp/552-size-5.2.3": {0, `552-5.2.3 Your message exceeded Google's message size limits. Please visit
552 5.2.3  https://support.google.com/mail/?p=MaxSizeError to view our size guidelines. 4fb4d7f45d1cf-5d0c1a2b3c4sm1234567a12.40 - gsmtp`},
	"smtp/552-size-5.3.4": {0, `552-5.3.4 Your message exceeded Google's message size limits. For more
552-5.3.4 information, go to
552 5.3.4  https://support.google.com/mail/?p=MaxSizeError 2adb3069b0e04-5439a1b2c3dsm1234567e87.14 - gsmtp`},
	"smtp/555-syntax-error": {0, `555-5.5.2 Syntax error, cannot decode response. For more information, go to
555 5.5.2  https://support.google.com/a/answer/3221692 af79cd13be357-7c5a1b2c3d4sm1234567d85a.40 - gsmtp`},
	"smtp/ehlo-after-starttls": {0, `250-smtp.gmail.com at your service, [203.0.113.5]
250-SIZE 35882577
250-8BITMIME
250-AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH
250-ENHANCEDSTATUSCODES
250-PIPELINING
250-CHUNKING
250 SMTPUTF8`},
	"smtp/ehlo-before-starttls": {0, `250-smtp.gmail.com at your service, [203.0.113.5]
250-SIZE 35882577
250-8BITMIME
250-STARTTLS
250-ENHANCEDSTATUSCODES
250-PIPELINING
250-CHUNKING
250 SMTPUTF8`},
	"smtp/greeting": {0, `220 smtp.gmail.com ESMTP d9443c01a7336-2a0f0b8c1e4sm12345678c.45 - gsmtp`},
	"token/deleted-client": {401, `{
  "error": "deleted_client",
  "error_description": "The OAuth client was deleted."
}`},
	"token/invalid-client-not-found": {401, `{
  "error": "invalid_client",
  "error_description": "The OAuth client was not found."
}`},
	"token/invalid-client-unauthorized": {401, `{
  "error": "invalid_client",
  "error_description": "Unauthorized"
}`},
	"token/invalid-grant-bad-request": {400, `{
  "error": "invalid_grant",
  "error_description": "Bad Request"
}`},
	"token/invalid-grant-expired": {400, `{
  "error": "invalid_grant",
  "error_description": "Token has been expired or revoked."
}`},
	"token/invalid-grant-rapt": {400, `{
  "error": "invalid_grant",
  "error_description": "reauth related error (invalid_rapt)",
  "error_uri": "https://support.google.com/a/answer/9368756",
  "error_subtype": "invalid_rapt"
}`},
	"token/invalid-request-secret-missing": {400, `{
  "error": "invalid_request",
  "error_description": "client_secret is missing."
}`},
	"token/server-error": {503, `{
  "error": "temporarily_unavailable",
  "error_description": "The service is currently unavailable."
}`},
	"token/unauthorized-client": {401, `{
  "error": "unauthorized_client",
  "error_description": "Unauthorized"
}`},
}
