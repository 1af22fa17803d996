package code

import (
	"testing"
	"time"

	"github.com/gatelint/gatelint/internal/model"
)

// fuzzScan reads data as a file of lang, with no recover: a panic is a
// bug the run would have hidden. Every call is finished in an
// environment that sets one variable, and its fix built: edits must lie
// inside the file and be re-parsable where they were applied.
func fuzzScan(t *testing.T, lang string, data []byte) {
	var fs *fileScan
	switch lang {
	case Python:
		fs = scanPython("f.py", data, nil)
	case JavaScript, TypeScript:
		fs = scanJS("f.ts", data, lang, nil)
	case Go:
		fs = scanGo("f.go", data)
	}
	fn := &model.Function{Resource: &model.Resource{Address: "F"}, Env: map[string]model.EnvVar{"T": {Value: "45", Known: true}, "AWS_MAX_ATTEMPTS": {Value: "2", Known: true}}}
	env := newEnv(fn)
	for _, rc := range fs.calls {
		c := rc.build(env)
		if c == nil {
			continue
		}
		if c.Fix != nil {
			_, eds := c.Fix(24 * time.Second)
			for _, e := range eds {
				if e.Start < 0 || e.End < e.Start || e.End > len(data) {
					t.Fatalf("%s: edit [%d,%d) outside the file of %d bytes", c.Client, e.Start, e.End, len(data))
				}
			}
		}
	}
	_ = CallSites(lang, data)
}

var fuzzSeeds = []string{
	"import requests\nT = int(os.environ.get('T', '5'))\ndef f(u, timeout=T):\n    return requests.get(u, timeout=timeout)\n",
	"import boto3\nfrom botocore.config import Config\nc = boto3.client('bedrock-runtime', config=Config(read_timeout=60, retries={'max_attempts': 3}))\nc.invoke_model(modelId='m')\n",
	"import axios from 'axios';\nconst api = axios.create({ timeout: Number(process.env.T ?? 10000) });\nexport const handler = async () => api.get('/x');\n",
	"const c = new AbortController(); setTimeout(() => c.abort(), 5000); fetch(u, { signal: c.signal });",
	"import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';\nnew BedrockRuntimeClient({ requestHandler: { requestTimeout: 1 } });",
	"package main\nimport (\"net/http\"; \"time\")\nvar c = &http.Client{Timeout: 10 * time.Second}\nfunc h() { http.Get(\"x\"); c.Get(\"y\") }\n",
	"x = (((((", "f'{requests.get(u)}'", "`${fetch(u)}`", "a = a\nrequests.get(u, timeout=a)", "def f(x=f()): f(x=f)\n",
}

func FuzzPython(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzScan(t, Python, data) })
}

func FuzzJS(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzScan(t, TypeScript, data) })
}

func FuzzGo(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzScan(t, Go, data) })
}
