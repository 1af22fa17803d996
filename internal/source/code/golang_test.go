package code

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestGoClients(t *testing.T) {
	cases := []struct {
		name string
		src  string
		env  map[string]string
		want []string
	}{
		{"http.Get", `package main
import "net/http"
func handler() { http.Get("https://x") }
`, nil, []string{"http.Get: none"}},
		{"DefaultClient with a context deadline", `package main
import ("context"; "net/http"; "time")
func handler(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 40*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", "https://x", nil)
	http.DefaultClient.Do(req)
}
`, nil, []string{"http.DefaultClient.Do: context.WithTimeout 40 s total"}},
		{"a client literal with a timeout through a constant", `package main
import ("net/http"; "time")
const timeout = 10 * time.Second
var client = &http.Client{Timeout: timeout}
func handler() { client.Get("https://x") }
`, nil, []string{"client.Get: Timeout 10 s via variable timeout total"}},
		{"a client literal without timeout", `package main
import "net/http"
var client = &http.Client{}
func handler() { client.Post("https://x", "", nil) }
`, nil, []string{"client.Post: none"}},
		{"a client from the environment", `package main
import ("net/http"; "os"; "strconv"; "time")
var secs, _ = strconv.Atoi(os.Getenv("HTTP_TIMEOUT"))
var client = &http.Client{Timeout: time.Duration(secs) * time.Second}
func handler() { client.Get("https://x") }
`, map[string]string{"HTTP_TIMEOUT": "45"}, []string{"client.Get: Timeout 45 s via environment variable HTTP_TIMEOUT total"}},
		{"an unused client literal", `package main
import ("net/http"; "time")
func newClient() *http.Client { return &http.Client{Timeout: 90 * time.Second} }
`, nil, []string{"http.Client: Timeout 90 s total"}},
		{"SDK v2 dynamodb is fast", `package main
import ("context"; "github.com/aws/aws-sdk-go-v2/config"; "github.com/aws/aws-sdk-go-v2/service/dynamodb")
var db *dynamodb.Client
func init() {
	cfg, _ := config.LoadDefaultConfig(context.TODO())
	db = dynamodb.NewFromConfig(cfg)
}
func handler(ctx context.Context) { db.PutItem(ctx, nil) }
`, nil, []string{"AWS SDK for Go dynamodb client: none ×3 fast"}},
		{"SDK v2 bedrock with an HTTP client", `package main
import ("context"; "time"; awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"; "github.com/aws/aws-sdk-go-v2/config"; "github.com/aws/aws-sdk-go-v2/service/bedrockruntime")
func handler(ctx context.Context) {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithHTTPClient(awshttp.NewBuildableClient().WithTimeout(20*time.Second)), config.WithRetryMaxAttempts(2))
	br := bedrockruntime.NewFromConfig(cfg)
	br.InvokeModel(ctx, nil)
}
`, nil, []string{"AWS SDK for Go bedrockruntime client: BuildableClient WithTimeout 20 s ×2"}},
		{"does not parse", "package main\nfunc {", nil, nil},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			m, fn, _ := fnWith(t, "provided.al2023", "bootstrap", map[string]string{"main.go": tt.src, "main_test.go": "package main\nimport \"net/http\"\nfunc x() { http.Get(\"t\") }\n"}, tt.env)
			Scan(m, Options{})
			if got := callsOf(fn); !slices.Equal(got, tt.want) {
				t.Errorf("calls:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestGoFixes(t *testing.T) {
	src := "package main\n\nimport (\n\t\"net/http\"\n)\n\nfunc handler() {\n\thttp.Get(\"https://x\")\n}\n"
	m, fn, _ := fnWith(t, "go1.x", "main", map[string]string{"main.go": src}, nil)
	res := Scan(m, Options{})
	out := applyFix(t, fn, res, 24*time.Second)["main.go"]
	for _, want := range []string{"import (\n\t\"time\"\n\t\"net/http\"\n)", "(&http.Client{Timeout: 24 * time.Second}).Get(\"https://x\")"} {
		if !strings.Contains(out, want) {
			t.Errorf("fixed:\n%s\nwant it to hold %q", out, want)
		}
	}
	src = "package main\n\nimport (\n\t\"net/http\"\n\t\"time\"\n)\n\nvar c = &http.Client{\n\tTransport: nil,\n}\n\nfunc handler() { c.Get(\"x\") }\n"
	m, fn, _ = fnWith(t, "go1.x", "main", map[string]string{"main.go": src}, nil)
	res = Scan(m, Options{})
	out = applyFix(t, fn, res, 24*time.Second)["main.go"]
	if want := "var c = &http.Client{\n\tTransport: nil,\n\tTimeout: 24 * time.Second,\n}"; !strings.Contains(out, want) {
		t.Errorf("fixed:\n%s\nwant it to hold %q", out, want)
	}
}
