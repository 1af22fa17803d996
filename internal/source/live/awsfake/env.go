package awsfake

import "testing"

// Secret is the fake secret access key Serve puts in the environment:
// recognisable, so tests can assert it is never printed.
const (
	AccessKeyID  = "AKIAGATELINTFAKE0001"
	Secret       = "gatelintFAKEsecretKEY0123456789abcdefghij"
	SessionToken = "gatelintFAKEsessionTOKEN0123456789"
)

// Serve starts acct and points the SDK's standard configuration at it, as
// a user would with AWS_ENDPOINT_URL: no config or credentials files,
// static fake credentials, region us-east-1. When t ends it fails the test
// if anything but a read operation was called, and stops the server.
func Serve(t testing.TB, acct *Account) *Server {
	t.Helper()
	srv := Start(acct)
	t.Cleanup(func() {
		if w := srv.WriteCalls(); len(w) > 0 {
			t.Errorf("the audit called operations that are not reads: %v", w)
		}
		srv.Close()
	})
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL":            srv.URL,
		"AWS_CONFIG_FILE":             "/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
		"AWS_ACCESS_KEY_ID":           AccessKeyID,
		"AWS_SECRET_ACCESS_KEY":       Secret,
		"AWS_SESSION_TOKEN":           SessionToken,
		"AWS_REGION":                  "us-east-1",
		"AWS_PROFILE":                 "",
		"AWS_DEFAULT_PROFILE":         "",
	} {
		t.Setenv(k, v)
	}
	return srv
}
