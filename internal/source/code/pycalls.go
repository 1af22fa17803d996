package code

import (
	"fmt"
	"strings"
	"time"

	"github.com/gatelint/gatelint/internal/awsfacts"
	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
)

var httpVerbs = map[string]bool{"get": true, "post": true, "put": true, "patch": true, "delete": true, "head": true, "options": true, "request": true}

// calleeStart is the first token of the dotted callee ending before the
// bracket at open (a.b(c).d), or -1.
func (t *tk) calleeStart(open int) int {
	i := open - 1
	if !t.IsIdent(i) {
		return -1
	}
	for {
		if !t.Is(i-1, ".") && !t.Is(i-1, "?.") {
			return i
		}
		j := i - 2
		for t.Is(j, ")") || t.Is(j, "]") {
			o := t.close(j)
			if o < 0 || o >= j {
				return -1
			}
			j = o - 1
		}
		if !t.IsIdent(j) {
			return -1
		}
		i = j
	}
}

func (s *pyScan) findCalls() {
	for p := 1; p < len(s.Toks); p++ {
		if !s.Is(p, "(") {
			continue
		}
		cs := s.calleeStart(p)
		if cs < 0 || s.Is(cs-1, "def") || s.Is(cs-1, "class") || s.Is(cs-1, ".") {
			continue
		}
		callee, k := s.chain(cs, p, 0)
		if k != p {
			continue
		}
		s.classify(callee, cs, p)
	}
}

func (s *pyScan) classify(callee pv, cs, p int) {
	if callee.k != pvRef && callee.k != pvMeth {
		return
	}
	args := s.args(p, true)
	add := func(kind string, recv *pyObj, method string) {
		s.calls = append(s.calls, pyCall{kind: kind, open: p, start: cs, name: s.snippet(cs, p), args: args, recv: recv, method: method})
	}
	switch callee.k {
	case pvRef:
		name := strings.TrimPrefix(callee.s, "requests.api.")
		switch {
		case strings.HasPrefix(callee.s, "requests.") && httpVerbs[strings.TrimPrefix(name, "requests.")]:
			add("requests", nil, "")
		case strings.HasPrefix(callee.s, "requests.api.") && httpVerbs[name]:
			add("requests", nil, "")
		case strings.HasPrefix(callee.s, "httpx.") && (httpVerbs[strings.TrimPrefix(callee.s, "httpx.")] || callee.s == "httpx.stream"):
			add("httpx", nil, "")
		case callee.s == "urllib.request.urlopen" || callee.s == "urllib2.urlopen":
			add("urlopen", nil, "")
		case callee.s == "urllib3.request":
			add("urllib3", nil, "")
		case callee.s == "socket.setdefaulttimeout":
			if a, ok := positional(args, 0); ok {
				v := s.eval(a.start, a.end, 0)
				s.sockDefault = &v
			}
		case pyCtors[callee.s] != "":
			s.call(callee, p, 0)
		}
	case pvMeth:
		o, m := callee.obj, callee.s
		switch o.ctor {
		case "requests.Session":
			if httpVerbs[m] {
				add("requests", o, m)
			} else if m == "mount" {
				if a, ok := positional(args, 1); ok {
					o.mounts = append(o.mounts, s.eval(a.start, a.end, 0))
				} else if a, ok := kw(args, "adapter"); ok {
					o.mounts = append(o.mounts, s.eval(a.start, a.end, 0))
				}
			}
		case "httpx.Client":
			if httpVerbs[m] || m == "stream" || m == "send" {
				add("httpx", o, m)
			}
		case "aiohttp.ClientSession":
			if httpVerbs[m] || m == "ws_connect" {
				add("aiohttp", o, m)
			}
		case "urllib3.PoolManager":
			if m == "request" || m == "urlopen" {
				add("urllib3", o, m)
			}
		case "boto3.client":
			o.methods = append(o.methods, p)
			o.names = append(o.names, m)
		case "boto3.Session":
			if m == "client" || m == "resource" {
				s.call(callee, p, 0)
			}
		}
	}
}

// finish turns what was found into the file's calls.
func (s *pyScan) finish() {
	for _, c := range s.calls {
		if rc, ok := s.httpCall(c); ok {
			s.fs.calls = append(s.fs.calls, rc)
		}
	}
	for open := range s.objs {
		if o := s.objs[open]; o.ctor == "boto3.client" {
			s.fs.calls = append(s.fs.calls, s.botoCall(o))
		}
	}
	// Source order, for stable output.
	sortCalls(s.fs.calls)
}

// timeoutArg reads a timeout value into t: a number, None, a (connect,
// read) tuple, an httpx.Timeout or an aiohttp.ClientTimeout.
func (s *pyScan) timeoutArg(v pv, t *timing) {
	switch {
	case v.k == pvTuple && len(v.items) == 2:
		t.connect, t.timeout = s.asNum(v.items[0]), s.asNum(v.items[1])
		t.connSetting = t.setting + " (connect)"
		t.setting += " (read)"
	case v.k == pvObj && v.obj.ctor == "httpx.Timeout":
		as := v.obj.args
		all := num{k: numUnknown, why: "httpx.Timeout without a default"}
		if a, ok := positional(as, 0); ok {
			all = s.asNum(s.eval(a.start, a.end, 0))
		} else if a, ok := kw(as, "timeout"); ok {
			all = s.asNum(s.eval(a.start, a.end, 0))
		}
		t.timeout = all
		if a, ok := kw(as, "read"); ok {
			t.timeout = s.asNum(s.eval(a.start, a.end, 0))
		}
		if a, ok := kw(as, "connect"); ok {
			t.connect, t.connSetting = s.asNum(s.eval(a.start, a.end, 0)), "connect"
		}
	case v.k == pvObj && v.obj.ctor == "aiohttp.ClientTimeout":
		as := v.obj.args
		t.timeout = num{k: numNone}
		for _, key := range []string{"total", "sock_read"} {
			if a, ok := kw(as, key); ok {
				t.timeout, t.setting = s.asNum(s.eval(a.start, a.end, 0)), "ClientTimeout "+key
				break
			}
		}
		if a, ok := positional(as, 0); ok {
			t.timeout, t.setting = s.asNum(s.eval(a.start, a.end, 0)), "ClientTimeout total"
		}
		t.total = strings.HasSuffix(t.setting, "total")
	case v.k == pvObj && v.obj.ctor == "urllib3.Timeout":
		as := v.obj.args
		t.timeout = num{k: numNone}
		for _, key := range []string{"total", "read"} {
			if a, ok := kw(as, key); ok {
				t.timeout, t.setting = s.asNum(s.eval(a.start, a.end, 0)), "Timeout "+key
				break
			}
		}
	default:
		t.timeout = s.asNum(v)
	}
}

// httpCall builds the call of an HTTP client.
func (s *pyScan) httpCall(c pyCall) (rawCall, bool) {
	cl := s.close(c.open)
	if cl < 0 {
		return rawCall{}, false
	}
	at := s.tokRange(c.start, cl+1)
	t := timing{setting: "timeout", unit: time.Second, mu: model.InSeconds}
	client := c.name
	var attempts func(e *fnEnv) (int, string)
	var fixAt []finding.TextEdit // unused placeholder for clarity
	_ = fixAt
	var kwArg *arg
	if a, ok := kw(c.args, "timeout"); ok {
		kwArg = &a
	}
	if c.kind == "urlopen" && kwArg == nil {
		if a, ok := positional(c.args, 2); ok {
			kwArg = &a
		}
	}
	var owner *pyObj // the session or client whose default applies
	if kwArg != nil {
		s.timeoutArg(s.eval(kwArg.start, kwArg.end, 0), &t)
	} else {
		t.missing = true
		switch c.kind {
		case "httpx":
			t.dflt = httpxDefault
		case "aiohttp":
			t.dflt, t.total, t.setting = aiohttpDefault, true, "ClientTimeout total"
		case "urlopen":
			if s.sockDefault != nil {
				t.missing = false
				s.timeoutArg(*s.sockDefault, &t)
				t.setting = "socket.setdefaulttimeout"
			}
		}
		if c.recv != nil {
			if a, ok := kw(c.recv.args, "timeout"); ok {
				t.missing = false
				s.timeoutArg(s.eval(a.start, a.end, 0), &t)
				owner = c.recv
			}
			for _, m := range c.recv.mounts {
				if m.k != pvObj {
					continue
				}
				if a, ok := kw(m.obj.args, "timeout"); ok {
					t.missing = false
					s.timeoutArg(s.eval(a.start, a.end, 0), &t)
					t.setting = "timeout of " + shortName(m.obj.ctor)
					owner = m.obj
				}
			}
		}
		if t.missing && hasStar(c.args) {
			t.missing = false
			t.timeout = unknownNum("the call passes **kwargs, which may hold a timeout")
		}
	}
	// Retries: a requests Session's adapter, urllib3's pool.
	if c.recv != nil {
		for _, m := range append([]pv{{k: pvObj, obj: c.recv}}, c.recv.mounts...) {
			if m.k != pvObj {
				continue
			}
			key := "max_retries"
			if m.obj.ctor == "urllib3.PoolManager" {
				key = "retries"
			}
			if a, ok := kw(m.obj.args, key); ok {
				n := s.retries(s.eval(a.start, a.end, 0))
				if n >= 0 {
					from := key + " of " + shortName(m.obj.ctor)
					attempts = func(*fnEnv) (int, string) { return n + 1, from }
				}
			}
		}
		if attempts == nil && c.recv.ctor == "urllib3.PoolManager" {
			attempts = func(*fnEnv) (int, string) { return 4, "urllib3's default Retry(3)" }
		}
	}
	if c.kind == "urllib3" && c.recv == nil {
		attempts = func(*fnEnv) (int, string) { return 4, "urllib3's default Retry(3)" }
	}
	t.attempts = attempts
	lib := map[string]string{"requests": "requests", "httpx": "httpx", "urlopen": "urllib", "aiohttp": "aiohttp", "urllib3": "urllib3"}[c.kind]
	if !strings.HasPrefix(client, lib) {
		client += " (" + lib + ")"
	}
	open := c.open
	return rawCall{at: at, build: func(e *fnEnv) *model.Call {
		mc := callAt(client, Python, at)
		t.finish(mc, e)
		mc.Fix = func(budget time.Duration) (string, []finding.TextEdit) {
			per := perAttempt(budget, mc.Attempts, time.Second)
			if mc.Total {
				per = perAttempt(budget, 1, time.Second)
			}
			text := formatNum(per)
			d := time.Duration(per * float64(time.Second))
			switch {
			case kwArg != nil && t.connSetting != "" && strings.HasSuffix(t.setting, "(read)"):
				// A (connect, read) tuple: both within the budget.
				c := text
				if cn := t.connect.resolve(e.lookup); cn.k == numKnown && cn.v < per {
					c = formatNum(cn.v)
				}
				return describe(client, "timeout", d), s.edit(s.Toks[kwArg.start].Start, s.Toks[kwArg.end-1].End, "("+c+", "+text+")")
			case !t.missing:
				if ed := setNum(t.timeout, e, text); ed != nil {
					return describe(client, t.setting, d), ed
				}
				if kwArg != nil && owner == nil {
					return describe(client, t.setting, d), s.edit(s.Toks[kwArg.start].Start, s.Toks[kwArg.end-1].End, text)
				}
				return "", nil
			case c.kind == "aiohttp":
				return describe(client, "timeout", d), s.insertArg(open, "timeout="+s.aiohttpTimeout(text))
			}
			return describe(client, "timeout", d), s.insertArg(open, "timeout="+text)
		}
		return mc
	}}, true
}

// aiohttpTimeout writes a ClientTimeout the way the file names aiohttp.
func (s *pyScan) aiohttpTimeout(total string) string {
	for name, full := range s.alias {
		if full == "aiohttp.ClientTimeout" {
			return name + "(total=" + total + ")"
		}
	}
	for name, full := range s.alias {
		if full == "aiohttp" {
			return name + ".ClientTimeout(total=" + total + ")"
		}
	}
	return "aiohttp.ClientTimeout(total=" + total + ")"
}

// retries reads a retry count: an int, or urllib3's Retry(total=n).
func (s *pyScan) retries(v pv) int {
	if v.k == pvNum && v.n.k == numKnown {
		return int(v.n.v)
	}
	if v.k == pvObj && v.obj.ctor == "Retry" {
		if a, ok := positional(v.obj.args, 0); ok {
			if n := s.asNum(s.eval(a.start, a.end, 0)); n.k == numKnown {
				return int(n.v)
			}
		}
		best := -1
		for _, key := range []string{"total", "read", "connect"} {
			if a, ok := kw(v.obj.args, key); ok {
				if n := s.asNum(s.eval(a.start, a.end, 0)); n.k == numKnown {
					if key == "total" {
						return int(n.v)
					}
					best = max(best, int(n.v))
				}
			}
		}
		if best >= 0 {
			return best
		}
		return 10 // Retry's own default total
	}
	return -1
}

func shortName(ctor string) string { return ctor[strings.LastIndexByte(ctor, '.')+1:] }

// botoCall builds the call of a boto3 client: located at its
// construction, which sets the defaults of every call made through it.
func (s *pyScan) botoCall(o *pyObj) rawCall {
	cl := s.close(o.open)
	at := s.tokRange(o.start, cl+1)
	svc := o.service
	var through []loc.Range
	slow := false
	for i, m := range o.methods {
		op := o.names[i]
		if awsfacts.SlowOperation(svc, op) && !s.asyncInvoke(m, op) {
			slow = true
			if mc := s.close(m); mc > 0 {
				through = append(through, s.tokRange(s.calleeStart(m), mc+1))
			}
		}
	}
	if len(o.methods) == 0 && awsfacts.SlowService(svc) && awsfacts.SlowOperation(svc, "any") {
		slow = true
	}
	t := timing{setting: "read_timeout", connSetting: "connect_timeout", unit: time.Second, mu: model.InSeconds}
	var cfg *pyObj
	cfgKnown := true
	if a, ok := kw(o.args, "config"); ok {
		v := s.eval(a.start, a.end, 0)
		if v.k == pvObj && v.obj.ctor == "Config" {
			cfg = v.obj
		} else {
			cfgKnown = false
			t.timeout = unknownNum("config=" + s.snippet(a.start, a.end) + " is not a Config gatelint can read")
		}
	}
	var retries pv
	if cfg != nil {
		if a, ok := kw(cfg.args, "read_timeout"); ok {
			t.timeout = s.asNum(s.eval(a.start, a.end, 0))
		} else {
			t.missing, t.dflt = true, botoDefault
		}
		if a, ok := kw(cfg.args, "connect_timeout"); ok {
			t.connect = s.asNum(s.eval(a.start, a.end, 0))
		} else {
			t.connMissing, t.connDflt = true, botoDefault
		}
		if a, ok := kw(cfg.args, "retries"); ok {
			retries = s.eval(a.start, a.end, 0)
		}
	} else if cfgKnown {
		t.missing, t.dflt, t.connMissing, t.connDflt = true, botoDefault, true, botoDefault
	}
	dynamo := strings.EqualFold(svc, "dynamodb")
	t.attempts = func(e *fnEnv) (int, string) { return botoAttempts(retries, e, dynamo, s) }
	name := "boto3 " + svc + " client"
	if svc == "" {
		name = "boto3 client"
	}
	return rawCall{at: at, build: func(e *fnEnv) *model.Call {
		mc := callAt(name, Python, at)
		mc.Service, mc.Fast, mc.Through = svc, !slow, through
		t.finish(mc, e)
		mc.Fix = func(budget time.Duration) (string, []finding.TextEdit) {
			return s.botoFix(o, cfg, cfgKnown, retries, mc, budget, e)
		}
		return mc
	}}
}

// asyncInvoke reports whether a Lambda invoke at open is asynchronous
// (InvocationType Event or DryRun).
func (s *pyScan) asyncInvoke(open int, op string) bool {
	if op != "invoke" {
		return false
	}
	if a, ok := kw(s.args(open, true), "InvocationType"); ok {
		v := s.eval(a.start, a.end, 0)
		return v.k == pvStr && (v.s == "Event" || v.s == "DryRun")
	}
	return false
}

// botoAttempts is how many attempts a boto3 client makes: retries'
// total_max_attempts, else max_attempts + 1, else AWS_MAX_ATTEMPTS,
// else the retry mode's default (retries' mode, AWS_RETRY_MODE, legacy).
func botoAttempts(retries pv, e *fnEnv, dynamo bool, s *pyScan) (int, string) {
	get := func(key string) (num, bool) {
		if retries.k != pvDict {
			return num{}, false
		}
		v, ok := retries.dict[key]
		if !ok {
			return num{}, false
		}
		return s.asNum(v).resolve(e.lookup), true
	}
	if n, ok := get("total_max_attempts"); ok && n.k == numKnown {
		return int(n.v), "retries total_max_attempts"
	}
	if n, ok := get("max_attempts"); ok && n.k == numKnown {
		return int(n.v) + 1, fmt.Sprintf("retries max_attempts %d + the first", int(n.v))
	}
	if text, _, ok, _ := e.lookup("AWS_MAX_ATTEMPTS"); ok {
		var n int
		if _, err := fmt.Sscan(text, &n); err == nil && n > 0 {
			return n, "AWS_MAX_ATTEMPTS"
		}
	}
	mode := ""
	if retries.k == pvDict {
		if v, ok := retries.dict["mode"]; ok && v.k == pvStr {
			mode = v.s
		}
	}
	if mode == "" {
		if text, _, ok, _ := e.lookup("AWS_RETRY_MODE"); ok {
			mode = strings.TrimSpace(text)
		}
	}
	switch mode {
	case "standard", "adaptive":
		return botoStandardAttempts, mode + " retry mode"
	case "legacy":
		if dynamo {
			return botoDynamoAttempts, "legacy retry mode, DynamoDB's"
		}
		return botoLegacyAttempts, "legacy retry mode"
	}
	if dynamo {
		return botoDynamoAttempts, "legacy retry mode, the default, DynamoDB's"
	}
	return botoLegacyAttempts, "legacy retry mode, the default"
}

// botoFix bounds a boto3 client within budget: at most 2 attempts, a
// read_timeout of budget / attempts, a connect_timeout of at most 5 s,
// written into its Config (or a Config added, imported if need be).
func (s *pyScan) botoFix(o, cfg *pyObj, cfgKnown bool, retries pv, mc *model.Call, budget time.Duration, e *fnEnv) (string, []finding.TextEdit) {
	if !cfgKnown {
		return "", nil
	}
	att := min(mc.Attempts, 2)
	per := perAttempt(budget, att, time.Second)
	conn := min(per, 5)
	q := string(s.quote())
	retriesText := "{" + q + "total_max_attempts" + q + ": " + fmt.Sprint(att) + "}"
	desc := fmt.Sprintf("set %s's read_timeout to %s s, connect_timeout to %s s and total_max_attempts to %d", mc.Client, formatNum(per), formatNum(conn), att)
	if cfg == nil {
		name, imp := s.configName()
		eds := s.insertArg(o.open, "config="+name+"(connect_timeout="+formatNum(conn)+", read_timeout="+formatNum(per)+", retries="+retriesText+")")
		if imp != nil {
			eds = append(imp, eds...)
		}
		return desc, eds
	}
	var eds []finding.TextEdit
	var missing []string
	set := func(key, text string) {
		a, ok := kw(cfg.args, key)
		if !ok {
			missing = append(missing, key+"="+text)
			return
		}
		if ed := setNum(s.asNum(s.eval(a.start, a.end, 0)), e, text); ed != nil {
			eds = append(eds, ed...)
			return
		}
		eds = append(eds, s.edit(s.Toks[a.start].Start, s.Toks[a.end-1].End, text)...)
	}
	set("connect_timeout", formatNum(conn))
	set("read_timeout", formatNum(per))
	if a, ok := kw(cfg.args, "retries"); ok {
		if mc.Attempts > att {
			if retries.k == pvDict && retries.start == a.start {
				if v, ok := retries.dict["mode"]; ok && v.k == pvStr {
					retriesText = "{" + q + "mode" + q + ": " + s.Text(v.start) + ", " + q + "total_max_attempts" + q + ": " + fmt.Sprint(att) + "}"
				}
			}
			eds = append(eds, s.edit(s.Toks[a.start].Start, s.Toks[a.end-1].End, retriesText)...)
		}
	} else if mc.Attempts > att {
		missing = append(missing, "retries="+retriesText)
	}
	if len(missing) > 0 {
		eds = append(eds, s.insertArg(cfg.open, strings.Join(missing, ", "))...)
	}
	return desc, eds
}

// configName is how the file can name botocore's Config, and the import
// that makes it so when nothing does yet.
func (s *pyScan) configName() (string, []finding.TextEdit) {
	for name, full := range s.alias {
		if full == "botocore.config.Config" || full == "botocore.client.Config" {
			return name, nil
		}
	}
	for name, full := range s.alias {
		if full == "botocore" || full == "botocore.config" {
			if full == "botocore" {
				return name + ".config.Config", nil
			}
			return name + ".Config", nil
		}
	}
	// After the last top-level import.
	at := 0
	for i := range s.Toks {
		if s.logical[i] && s.indent[i] == 0 && (s.Is(i, "import") || s.Is(i, "from")) {
			end := s.next[i]
			at = s.LineStart(s.Toks[end-1].End)
			for at < len(s.Src) && s.Src[at] != '\n' {
				at++
			}
			if at < len(s.Src) {
				at++
			}
		}
	}
	line := "from botocore.config import Config\n"
	if at == 0 && len(s.Toks) > 0 {
		at = s.LineStart(s.Toks[0].Start)
	}
	if at >= len(s.Src) && len(s.Src) > 0 && s.Src[len(s.Src)-1] != '\n' {
		line = "\n" + line
	}
	return "Config", s.edit(at, at, line)
}
