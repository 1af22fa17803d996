package logs

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestForeign: the logs of other systems are named, and API Gateway's own
// example formats are not mistaken for them.
func TestForeign(t *testing.T) {
	tests := []struct{ line, want string }{
		{`203.0.113.9 - - [20/Nov/2026:09:16:06 +0000] "POST /api/reports HTTP/1.1" 504 167 "-" "curl/8.4.0"`, "nginx or Apache combined"},
		{`203.0.113.9 - - [20/Nov/2026:09:16:06 +0000] "GET / HTTP/1.1" 200 612 "https://example.com/" "Mozilla/5.0 (X11)" "198.51.100.7"`, "nginx or Apache combined"},
		{`127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326`, "Apache (or nginx) common"},
		{`http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337262-36d228ad5d99923122bbe354"`, "Application Load Balancer"},
		{`https 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 - -1 -1 -1 504 - 34 366 "GET https://www.example.com:443/ HTTP/1.1" "curl/7.46.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2`, "Application Load Balancer"},
		{`2015-05-13T23:39:43.945958Z my-loadbalancer 192.168.131.39:2817 10.0.0.1:80 0.000073 0.001048 0.000057 200 200 0 29 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.38.0" - -`, "Classic Load Balancer"},
		{"#Version: 1.0", "CloudFront"},
		{"2019-12-04\t21:02:31\tLAX1\t392\t192.0.2.100\tGET\td111111abcdef8.cloudfront.net\t/index.html\t200\t-\tMozilla/5.0", "CloudFront"},
		{`79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be awsexamplebucket1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be 3E57427F3EXAMPLE REST.GET.VERSIONING - "GET /awsexamplebucket1?versioning HTTP/1.1" 200 - 113 - 7 - "-" "S3Console/0.4" -`, "S3 server access log"},
		// API Gateway's own example formats and JSON lines are not foreign.
		{`192.0.2.1 - - [26/Nov/2026:00:00:01 +0000] "GET /pets/{petId} HTTP/1.1" 504 36 c5a56ba0-fd42-4425-b7d2-5e8836563270 IWeTChtboAMEVUQ=`, ""},
		{`192.0.2.1 - - [26/Nov/2026:00:00:01 +0000] "GET GET /pets/{id} HTTP/1.1" 200 36 IWeTChtboAMEVUQ=`, ""},
		{`192.0.2.1,-,-,26/Nov/2026:00:00:01 +0000,GET,/pets,HTTP/1.1,200,36,c5a56ba0,IWeTChtboAMEVUQ=`, ""},
		{`{"status":"504","httpMethod":"GET"}`, ""},
		{`<request id="x"><status>504</status></request>`, ""},
	}
	for _, tt := range tests {
		got := Foreign([]byte(tt.line))
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("Foreign(%.60q) = %q, want one naming %q", tt.line, got, tt.want)
		}
	}
}

// TestForeignNamedInErrors: named, a log of another system is an error
// that says what it is; found in a directory, it is skipped, saying so.
func TestForeignNamedInErrors(t *testing.T) {
	dir := t.TempDir()
	nginx := filepath.Join(dir, "access.log")
	export := filepath.Join(dir, "export.log")
	os.WriteFile(nginx, []byte(`203.0.113.9 - - [20/Nov/2026:09:16:06 +0000] "POST /x HTTP/1.1" 504 167 "-" "curl/8.4.0"`+"\n"), 0o644)
	os.WriteFile(export, []byte(`2026-11-20T09:16:06.000Z 203.0.113.9 - - [20/Nov/2026:09:16:06 +0000] "POST /x HTTP/1.1" 504 167 "-" "curl/8.4.0"`+"\n"), 0o644)
	k := &tick{}
	res := Scan(context.Background(), []string{nginx, export}, Options{Kinds: []Kind{k}})
	if len(res.Errors) != 2 {
		t.Fatalf("errors %v", res.Errors)
	}
	for i, want := range []string{"an nginx or Apache combined log", "a CloudWatch Logs export of an nginx or Apache combined log"} {
		if m := res.Errors[i].Message; !strings.HasPrefix(m, want) || !strings.Contains(m, "not a log API Gateway writes") || !strings.Contains(m, "write TICK lines") {
			t.Errorf("error %q, want it to start %q and say how to read it anyway", m, want)
		}
	}
	var skipped []string
	res = Scan(context.Background(), []string{dir}, Options{Kinds: []Kind{k}, OnSkip: func(p, why string) { skipped = append(skipped, why) }})
	if len(res.Errors) != 0 || len(skipped) != 2 || !strings.HasPrefix(skipped[0], "skipped: an nginx or Apache combined log") {
		t.Errorf("walked: errors %v, skipped %q", res.Errors, skipped)
	}
}
