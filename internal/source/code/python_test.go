package code

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestPythonClients(t *testing.T) {
	cases := []struct {
		name string
		src  string
		env  map[string]string
		want []string
	}{
		{"urllib3 PoolManager without a timeout", `import urllib3
http = urllib3.PoolManager()
def handler(event, context):
    return http.request("GET", "https://x").data
`, nil, []string{"http.request (urllib3): none ×4"}},
		{"urllib3 PoolManager with a Timeout", `import urllib3
http = urllib3.PoolManager(timeout=urllib3.Timeout(connect=2.0, read=20.0))
def handler(event, context):
    return http.request("GET", "https://x").data
`, nil, []string{"http.request (urllib3): Timeout read 20 s ×4"}},
		{"urllib3.request", `import urllib3
def handler(event, context):
    return urllib3.request("GET", "https://x", timeout=12)
`, nil, []string{"urllib3.request: timeout 12 s ×4"}},
		{"requests without timeout", `import requests
def handler(event, context):
    return requests.get("https://x")
`, nil, []string{"requests.get: none"}},
		{"requests with timeout", `import requests
def handler(event, context):
    return requests.post("https://x", json={}, timeout=10)
`, nil, []string{"requests.post: timeout 10 s"}},
		{"requests through a constant", `import requests
TIMEOUT = 40
def handler(event, context):
    return requests.get("https://x", timeout=TIMEOUT)
`, nil, []string{"requests.get: timeout 40 s via variable TIMEOUT"}},
		{"requests tuple", `import requests as r
def handler(event, context):
    return r.get("https://x", timeout=(3.05, 27))
`, nil, []string{"r.get (requests): timeout (read) 27 s, timeout (connect) 3.05 s"}},
		{"requests through an environment variable", `import os, requests
T = int(os.environ.get("HTTP_TIMEOUT", "10"))
def handler(event, context):
    return requests.get("https://x", timeout=T)
`, map[string]string{"HTTP_TIMEOUT": "45"}, []string{"requests.get: timeout 45 s via environment variable HTTP_TIMEOUT"}},
		{"environment variable unset: the code's fallback", `import os, requests
T = float(os.getenv("HTTP_TIMEOUT", 8))
def handler(event, context):
    return requests.get("https://x", timeout=T)
`, nil, []string{"requests.get: timeout 8 s via the code's fallback when environment variable HTTP_TIMEOUT is unset"}},
		{"environment variable unknown", `import os, requests
def handler(event, context):
    return requests.get("https://x", timeout=int(os.environ["T"]))
`, nil, []string{"requests.get: unknown (environment variable T is read, and the function's configuration does not set it)"}},
		{"a wrapper with a default", `import requests
def fetch(url, timeout=60):
    return requests.get(url, timeout=timeout)
def handler(event, context):
    return fetch("https://x")
`, nil, []string{"requests.get: timeout 60 s via parameter timeout of fetch"}},
		{"a wrapper whose caller passes more", `import requests
def fetch(url, timeout=5):
    return requests.get(url, timeout=timeout)
def handler(event, context):
    fetch("https://x")
    return fetch("https://y", timeout=90)
`, nil, []string{"requests.get: timeout 90 s via parameter timeout of fetch"}},
		{"a session without timeout", `import requests
session = requests.Session()
def handler(event, context):
    return session.get("https://x")
`, nil, []string{"session.get (requests): none"}},
		{"a session with a timeout adapter and retries", `import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry
class TimeoutHTTPAdapter(HTTPAdapter):
    def __init__(self, *args, timeout=5, **kwargs):
        self.timeout = timeout
        super().__init__(*args, **kwargs)
s = requests.Session()
s.mount("https://", TimeoutHTTPAdapter(timeout=8, max_retries=Retry(total=2)))
def handler(event, context):
    with s:
        return s.get("https://x")
`, nil, []string{"s.get (requests): timeout of TimeoutHTTPAdapter 8 s ×3"}},
		{"with a session", `import requests
def handler(event, context):
    with requests.Session() as sess:
        return sess.get("https://x", timeout=12)
`, nil, []string{"sess.get (requests): timeout 12 s"}},
		{"httpx default and client", `import httpx
client = httpx.Client(timeout=httpx.Timeout(30.0, connect=2.0))
def handler(event, context):
    httpx.get("https://a")
    return client.post("https://b")
`, nil, []string{"httpx.get: timeout 5 s default", "client.post (httpx): timeout 30 s, connect 2 s"}},
		{"httpx None", `import httpx
def handler(event, context):
    return httpx.get("https://a", timeout=None)
`, nil, []string{"httpx.get: none"}},
		{"urlopen", `from urllib.request import urlopen
import urllib.request
def handler(event, context):
    urlopen("https://a")
    return urllib.request.urlopen("https://b", None, 20)
`, nil, []string{"urlopen (urllib): none", "urllib.request.urlopen: timeout 20 s"}},
		{"urlopen with a socket default", `import socket, urllib.request
socket.setdefaulttimeout(15)
def handler(event, context):
    return urllib.request.urlopen("https://b")
`, nil, []string{"urllib.request.urlopen: socket.setdefaulttimeout 15 s"}},
		{"aiohttp", `import aiohttp
async def handler(event, context):
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=50)) as session:
        async with session.get("https://a") as r:
            pass
    async with aiohttp.ClientSession() as s2:
        await s2.post("https://b")
`, nil, []string{"session.get (aiohttp): ClientTimeout total 50 s total", "s2.post (aiohttp): ClientTimeout total 300 s default total"}},
		{"boto3 bedrock default", `import boto3, json
bedrock = boto3.client("bedrock-runtime")
def handler(event, context):
    return bedrock.invoke_model(modelId="m", body=json.dumps({}))
`, nil, []string{"boto3 bedrock-runtime client: read_timeout 60 s default, connect_timeout 60 s ×5"}},
		{"boto3 config through a variable, standard mode", `import boto3
from botocore.config import Config
cfg = Config(read_timeout=120, connect_timeout=5, retries={"max_attempts": 2, "mode": "standard"})
def handler(event, context):
    c = boto3.client("bedrock-runtime", config=cfg)
    return c.converse(modelId="m", messages=[])
`, nil, []string{"boto3 bedrock-runtime client: read_timeout 120 s, connect_timeout 5 s ×3"}},
		{"boto3 fast service", `import boto3
table = boto3.resource("dynamodb").Table("t")
s3 = boto3.client("s3")
def handler(event, context):
    s3.put_object(Bucket="b", Key="k", Body=b"")
`, nil, []string{"boto3 dynamodb client: read_timeout 60 s default, connect_timeout 60 s ×10 fast", "boto3 s3 client: read_timeout 60 s default, connect_timeout 60 s ×5 fast"}},
		{"boto3 session, AWS_MAX_ATTEMPTS", `import boto3
session = boto3.Session()
def handler(event, context):
    rt = session.client("sagemaker-runtime")
    return rt.invoke_endpoint(EndpointName="e", Body=b"")
`, map[string]string{"AWS_MAX_ATTEMPTS": "2"}, []string{"boto3 sagemaker-runtime client: read_timeout 60 s default, connect_timeout 60 s ×2"}},
		{"boto3 lambda async invoke is fast", `import boto3
lam = boto3.client("lambda")
def handler(event, context):
    lam.invoke(FunctionName="f", InvocationType="Event", Payload=b"")
`, nil, []string{"boto3 lambda client: read_timeout 60 s default, connect_timeout 60 s ×5 fast"}},
		{"boto3 factory", `import boto3
from botocore.config import Config
def make():
    return boto3.client("bedrock-runtime", config=Config(read_timeout=20, retries={"total_max_attempts": 1}))
def handler(event, context):
    return make().invoke_model(modelId="m", body="{}")
`, nil, []string{"boto3 bedrock-runtime client: read_timeout 20 s, connect_timeout 60 s"}},
		{"strings and comments are not calls", `import requests
# requests.get("https://x")
DOC = "requests.get('https://y')"
def handler(event, context):
    return DOC
`, nil, nil},
		{"**kwargs may hold the timeout", `import requests
def call(url, **kw):
    return requests.get(url, **kw)
def handler(event, context):
    return call("https://x", timeout=3)
`, nil, []string{"requests.get: unknown (the call passes **kwargs, which may hold a timeout)"}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			m, fn, _ := fnWith(t, "python3.12", "app.handler", map[string]string{"app.py": tt.src}, tt.env)
			Scan(m, Options{})
			got := callsOf(fn)
			if !slices.Equal(got, tt.want) {
				t.Errorf("calls:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestPythonReachability(t *testing.T) {
	m, fn, _ := fnWith(t, "python3.12", "handlers/app.handler", map[string]string{
		"handlers/app.py":                      "from lib.http import get_json\nfrom . import helpers\ndef handler(e, c):\n    return get_json('u')\n",
		"handlers/helpers.py":                  "import requests\ndef h():\n    return requests.get('x', timeout=3)\n",
		"lib/http.py":                          "import requests\ndef get_json(u):\n    return requests.get(u).json()\n",
		"unused.py":                            "import requests\nrequests.get('never')\n",
		"tests/test_app.py":                    "import requests\nrequests.get('test')\n",
		"requests/api.py":                      "def get(): pass\n",
		"requests-2.0.dist-info/top_level.txt": "requests\n",
	}, nil)
	res := Scan(m, Options{})
	got := callsOf(fn)
	want := []string{"requests.get: timeout 3 s", "requests.get: none"}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("calls %q, want %q", got, want)
	}
	if res.Files[Python] != 3 {
		t.Errorf("read %d Python files, want 3 (%v)", res.Files[Python], res.Sources)
	}
}

func TestPythonFixes(t *testing.T) {
	cases := []struct {
		name, src, want string
	}{
		{"insert timeout", "import requests\ndef handler(e, c):\n    return requests.get(\"https://x\")\n",
			"    return requests.get(\"https://x\", timeout=24)\n"},
		{"insert on its own line", "import requests\ndef handler(e, c):\n    return requests.post(\n        \"https://x\",\n        json={},\n    )\n",
			"        json={},\n        timeout=24,\n    )\n"},
		{"change the constant", "import requests\nTIMEOUT = 60\ndef handler(e, c):\n    return requests.get('x', timeout=TIMEOUT)\n",
			"TIMEOUT = 24\n"},
		{"boto3 config added and imported", "import json\nimport boto3\n\nbr = boto3.client('bedrock-runtime')\ndef handler(e, c):\n    return br.invoke_model(modelId='m', body='{}')\n",
			"import boto3\nfrom botocore.config import Config\n\nbr = boto3.client('bedrock-runtime', config=Config(connect_timeout=5, read_timeout=12, retries={'total_max_attempts': 2}))\n"},
		{"boto3 config edited", "import boto3\nfrom botocore.config import Config\ncfg = Config(read_timeout=300, retries={\"max_attempts\": 4, \"mode\": \"standard\"})\nbr = boto3.client(\"bedrock-runtime\", config=cfg)\ndef handler(e, c):\n    return br.converse(modelId=\"m\")\n",
			"cfg = Config(read_timeout=12, retries={\"mode\": \"standard\", \"total_max_attempts\": 2}, connect_timeout=5)\n"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			m, fn, _ := fnWith(t, "python3.12", "app.handler", map[string]string{"app.py": tt.src}, nil)
			res := Scan(m, Options{})
			out := applyFix(t, fn, res, 24*time.Second)
			if !strings.Contains(out["app.py"], tt.want) {
				t.Errorf("fixed:\n%s\nwant it to hold:\n%s", out["app.py"], tt.want)
			}
		})
	}
}
