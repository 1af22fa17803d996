package code

import "time"

// What the clients do when nothing is set: the facts GL011 compares
// with the integration's wait. Sources are in docs/handler-code.md and
// ../shared/reference/handler-code.md.
const (
	// httpx: 5 s for connect, read, write and pool
	// (python-httpx.org/advanced/timeouts).
	httpxDefault = 5 * time.Second
	// botocore Config: connect_timeout and read_timeout 60 s
	// (botocore/config.py).
	botoDefault = 60 * time.Second
	// botocore retries: legacy mode (the default) makes 5 attempts in
	// all (10 for DynamoDB), standard and adaptive 3 (boto3's retries
	// guide); max_attempts counts retries, total_max_attempts attempts.
	botoLegacyAttempts   = 5
	botoDynamoAttempts   = 10
	botoStandardAttempts = 3
	// aiohttp ClientTimeout: total 300 s (docs.aiohttp.org,
	// client_reference ClientTimeout).
	aiohttpDefault = 300 * time.Second
	// Node's fetch (undici): headersTimeout and bodyTimeout 300 s.
	undiciDefault = 300 * time.Second
	// AWS SDK for JavaScript v3: maxAttempts 3 (standard retry mode);
	// NodeHttpHandler requestTimeout 0 (none).
	jsSDKAttempts = 3
	// got: retry.limit 2 for GET-like methods: 3 attempts; no timeout
	// unless timeout.request is set.
	gotAttempts = 3
	// AWS SDK for Go v2: standard retryer, 3 attempts; its HTTP client
	// has no overall timeout (aws/transport/http BuildableClient).
	goSDKAttempts = 3
)
