package code

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestJSClients(t *testing.T) {
	cases := []struct {
		name, file, src string
		env             map[string]string
		want            []string
	}{
		{"got.extend with a request timeout", "index.mjs", `import got from "got";
const api = got.extend({ timeout: { request: 40000 } });
export const handler = async () => api.get("https://x").json();
`, nil, []string{"api.get (got): timeout.request 40 s ×3 total"}},
		{"SDK v3 with only a connectionTimeout", "index.mjs", `import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { NodeHttpHandler } from "@smithy/node-http-handler";
const db = new DynamoDBClient({ requestHandler: new NodeHttpHandler({ connectionTimeout: 3000 }) });
export const handler = async () => db.send(new GetItemCommand({}));
`, nil, []string{"AWS SDK for JavaScript dynamodb client: none, connectionTimeout 3 s ×3 fast"}},
		{"fetch default", "index.mjs", `export const handler = async () => {
  const r = await fetch("https://x");
  return r.json();
};
`, nil, []string{"fetch: headersTimeout 300 s default"}},
		{"fetch with AbortSignal.timeout", "index.mjs", `export const handler = async () => {
  return fetch("https://x", { method: "POST", signal: AbortSignal.timeout(8000) });
};
`, nil, []string{"fetch: AbortSignal.timeout 8 s total"}},
		{"fetch with an abort timer", "index.js", `exports.handler = async () => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 40000);
  return fetch("https://x", { signal: controller.signal });
};
`, nil, []string{"fetch: the abort timer 40 s total"}},
		{"node-fetch has no timeout", "index.js", `const fetch = require("node-fetch");
exports.handler = async () => fetch("https://x");
`, nil, []string{"fetch (node-fetch): none"}},
		{"axios without and with timeout", "index.js", `const axios = require("axios");
exports.handler = async (event) => {
  await axios.get("https://a");
  await axios.post("https://b", {}, { timeout: 5000 });
  return axios({ url: "https://c", timeout: 0 });
};
`, nil, []string{"axios.get: none", "axios.post: timeout 5 s", "axios: none"}},
		{"axios instance through the environment", "app.ts", `import axios from "axios";
const TIMEOUT = Number(process.env.API_TIMEOUT_MS ?? 10000);
const api = axios.create({ baseURL: "https://api", timeout: TIMEOUT });
export const handler = async (): Promise<unknown> => {
  const res = await api.get<string>("/items");
  return res.data;
};
`, map[string]string{"API_TIMEOUT_MS": "45000"}, []string{"api.get (axios): timeout 45 s via environment variable API_TIMEOUT_MS"}},
		{"axios through a wrapper", "index.js", `import axios from "axios";
async function getJson(url, timeout = 30000) {
  return (await axios.get(url, { timeout })).data;
}
export const handler = async () => getJson("https://x");
`, nil, []string{"axios.get: timeout 30 s via parameter timeout of getJson"}},
		{"got", "index.js", `import got from "got";
export const handler = async () => {
  await got("https://a");
  return got.post("https://b", { timeout: { request: 60000 }, json: {} });
};
`, nil, []string{"got: none ×3", "got.post: timeout.request 60 s total"}},
		{"SDK v3 bedrock default", "index.mjs", `import { BedrockRuntimeClient, InvokeModelCommand } from "@aws-sdk/client-bedrock-runtime";
const client = new BedrockRuntimeClient({ region: "us-east-1" });
export const handler = async (event) => {
  const out = await client.send(new InvokeModelCommand({ modelId: "m", body: "{}" }));
  return out;
};
`, nil, []string{"AWS SDK for JavaScript bedrock-runtime client: none ×3"}},
		{"SDK v3 requestTimeout without throwOnRequestTimeout", "index.mjs", `import { BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { NodeHttpHandler } from "@smithy/node-http-handler";
const client = new BedrockRuntimeClient({ requestHandler: new NodeHttpHandler({ requestTimeout: 5000 }) });
export const handler = async () => client.send(new ConverseCommand({}));
`, nil, []string{"AWS SDK for JavaScript bedrock-runtime client: none ×3"}},
		{"SDK v3 bounded", "index.ts", `import { LambdaClient, InvokeCommand } from "@aws-sdk/client-lambda";
const lambda = new LambdaClient({ maxAttempts: 1, requestHandler: { requestTimeout: 20_000, throwOnRequestTimeout: true } });
export const handler = async () => lambda.send(new InvokeCommand({ FunctionName: "f" }));
`, nil, []string{"AWS SDK for JavaScript lambda client: requestTimeout 20 s"}},
		{"SDK v3 dynamodb is fast", "index.js", `const { DynamoDBClient } = require("@aws-sdk/client-dynamodb");
const { DynamoDBDocumentClient, PutCommand } = require("@aws-sdk/lib-dynamodb");
const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
exports.handler = async () => ddb.send(new PutCommand({ TableName: "t", Item: {} }));
`, nil, []string{"AWS SDK for JavaScript dynamodb client: none ×3 fast"}},
		{"SDK v2", "index.js", `const AWS = require("aws-sdk");
const lambda = new AWS.Lambda();
exports.handler = async () => lambda.invoke({ FunctionName: "f" }).promise();
`, nil, []string{"AWS SDK for JavaScript v2 lambda client: httpOptions.timeout 120 s default ×4"}},
		{"comments, strings and types are not calls", "index.ts", `// fetch("https://x")
const s = "axios.get('y')";
type F = (u: string) => Promise<Response>;
export const handler = async () => s;
`, nil, nil},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			handler := strings.TrimSuffix(tt.file, tt.file[strings.LastIndexByte(tt.file, '.'):]) + ".handler"
			m, fn, _ := fnWith(t, "nodejs20.x", handler, map[string]string{tt.file: tt.src}, tt.env)
			Scan(m, Options{})
			if got := callsOf(fn); !slices.Equal(got, tt.want) {
				t.Errorf("calls:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestJSFixes(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"fetch signal added", "export const handler = async () => fetch(\"https://x\");\n",
			"fetch(\"https://x\", { signal: AbortSignal.timeout(24000) })"},
		{"fetch signal added to options", "export const handler = async () => fetch(\"https://x\", {\n  method: \"POST\",\n  body: \"{}\",\n});\n",
			"  body: \"{}\",\n  signal: AbortSignal.timeout(24000),\n});"},
		{"axios timeout changed", "import axios from 'axios';\nexport const handler = async () => axios.get('u', { timeout: 60000 });\n",
			"axios.get('u', { timeout: 24000 })"},
		{"axios post gets its config", "import axios from 'axios';\nexport const handler = async () => axios.post('u', body);\n",
			"axios.post('u', body, { timeout: 24000 })"},
		{"SDK v3 bounded", "import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';\nconst c = new BedrockRuntimeClient({ region: 'us-east-1' });\nexport const handler = async () => c.send(x);\n",
			"new BedrockRuntimeClient({ region: 'us-east-1', requestHandler: { requestTimeout: 12000, throwOnRequestTimeout: true }, maxAttempts: 2 })"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			m, fn, _ := fnWith(t, "nodejs20.x", "index.handler", map[string]string{"index.mjs": tt.src}, nil)
			res := Scan(m, Options{})
			out := applyFix(t, fn, res, 24*time.Second)["index.mjs"]
			if !strings.Contains(out, tt.want) {
				t.Errorf("fixed:\n%s\nwant it to hold:\n%s", out, tt.want)
			}
		})
	}
}
