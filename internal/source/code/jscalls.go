package code

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gatelint/gatelint/internal/awsfacts"
	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
)

const (
	// AWS SDK for JavaScript v2: httpOptions.timeout 120000 ms, maxRetries
	// 3 (DynamoDB 10) (docs.aws.amazon.com/AWSJavaScriptSDK/latest/AWS/Config.html).
	jsSDK2Timeout = 120 * time.Second
	jsSDK2Retries = 3
	jsSDK2Dynamo  = 10
)

var axiosDataVerbs = map[string]bool{"post": true, "put": true, "patch": true, "postForm": true, "putForm": true, "patchForm": true}
var axiosVerbs = map[string]bool{"get": true, "delete": true, "head": true, "options": true, "request": true,
	"post": true, "put": true, "patch": true, "postForm": true, "putForm": true, "patchForm": true}

func (s *jsScan) findCalls() {
	for p := 1; p < len(s.Toks); p++ {
		if !s.Is(p, "(") {
			continue
		}
		end := s.typeArgsStart(p)
		cs := s.calleeStart(end)
		if cs < 0 || s.Is(cs-1, "function") || s.Is(cs-1, ".") || s.Is(cs-1, "?.") {
			continue
		}
		if s.Is(cs-1, "new") {
			if cl := s.close(p); cl > 0 {
				s.chain(cs-1, cl+1, 0)
			}
			continue
		}
		callee, k := s.chain(cs, end, 0)
		if k != end {
			continue
		}
		s.classify(callee, cs, p)
	}
}

func (s *jsScan) classify(callee jv, cs, p int) {
	if callee.k != jvRef && callee.k != jvMeth {
		return
	}
	args := s.args(p, false)
	add := func(kind string, in *jsInst, method string) {
		s.calls = append(s.calls, jsCall{kind: kind, open: p, start: cs, name: s.snippet(cs, s.typeArgsStart(p)), args: args, inst: in, method: method})
	}
	switch callee.k {
	case jvRef:
		name := strings.Replace(callee.s, ".default", "", 1)
		switch {
		case name == "global.fetch" || name == "undici.fetch":
			add("fetch", nil, "")
		case name == "node-fetch" || name == "cross-fetch" || name == "isomorphic-fetch":
			add("node-fetch", nil, "")
		case name == "axios" || strings.HasPrefix(name, "axios.") && axiosVerbs[strings.TrimPrefix(name, "axios.")]:
			add("axios", nil, strings.TrimPrefix(strings.TrimPrefix(name, "axios"), "."))
		case name == "got" || strings.HasPrefix(name, "got.") && (httpVerbs[strings.TrimPrefix(name, "got.")] || strings.TrimPrefix(name, "got.") == "stream"):
			add("got", nil, strings.TrimPrefix(strings.TrimPrefix(name, "got"), "."))
		case name == "global.setTimeout":
			s.abortTimer(args)
		}
	case jvMeth:
		in, m := callee.inst, callee.s
		switch in.ctor {
		case "axios.create":
			if axiosVerbs[m] {
				add("axios", in, m)
			}
		case "got.extend":
			if httpVerbs[m] {
				add("got", in, m)
			}
		case "sdk", "sdk2":
			op := m
			if m == "send" {
				if a, ok := positional(args, 0); ok && s.Is(a.start, "new") {
					k := a.start + 1
					for s.IsIdent(k) && s.Is(k+1, ".") {
						k += 2
					}
					op = s.Text(k)
				}
			}
			in.methods = append(in.methods, p)
			in.ops = append(in.ops, op)
		}
	}
}

// typeArgsStart is, for a call's bracket at open, the start of the
// type arguments before it (f<T>(...)), or open itself.
func (s *jsScan) typeArgsStart(open int) int {
	if !s.Is(open-1, ">") {
		return open
	}
	d := 0
	for k := open - 1; k >= 0 && k > open-40; k-- {
		switch {
		case s.Is(k, ">"):
			d++
		case s.Is(k, ">>"):
			d += 2
		case s.Is(k, "<"):
			d--
			if d == 0 {
				if s.IsIdent(k - 1) {
					return k
				}
				return open
			}
		case s.Is(k, ";") || s.Is(k, "{") || s.Is(k, "}") || s.Is(k, "="):
			return open
		}
	}
	return open
}

// abortTimer reads setTimeout(() => controller.abort(), ms): the
// controller is aborted after ms.
func (s *jsScan) abortTimer(args []arg) {
	if len(args) < 2 {
		return
	}
	cb, ms := args[0], args[1]
	for k := cb.start; k+2 < cb.end; k++ {
		if s.Is(k+1, ".") && s.Is(k+2, "abort") && s.IsIdent(k) {
			v := s.eval(k, k+1, 0)
			if v.k == jvInst && v.inst.ctor == "AbortController" {
				n := s.asNum(s.eval(ms.start, ms.end, 0))
				v.inst.args = append(v.inst.args, arg{name: "timer", start: ms.start, end: ms.end})
				_ = n
			}
			return
		}
	}
}

// finish turns what was found into the file's calls.
func (s *jsScan) finish() {
	for _, c := range s.calls {
		if rc, ok := s.httpCall(c); ok {
			s.fs.calls = append(s.fs.calls, rc)
		}
	}
	for open := range s.insts {
		if in := s.insts[open]; in.ctor == "sdk" || in.ctor == "sdk2" {
			s.fs.calls = append(s.fs.calls, s.sdkCall(in))
		}
	}
	sortCalls(s.fs.calls)
}

// optionsArg is the options argument of a call: its index and value.
func (s *jsScan) optionsArg(c jsCall) (int, jv, bool) {
	idx := 1
	switch c.kind {
	case "axios":
		switch {
		case c.method == "request" || c.method == "" && len(c.args) > 0 && s.Is(c.args[0].start, "{"):
			idx = 0
		case axiosDataVerbs[c.method]:
			idx = 2
		}
	case "got":
		if len(c.args) > 0 && s.Is(c.args[0].start, "{") {
			idx = 0
		}
	}
	a, ok := positional(c.args, idx)
	if !ok {
		return idx, jv{}, false
	}
	return idx, s.eval(a.start, a.end, 0), true
}

// httpCall builds the call of fetch, axios or got.
func (s *jsScan) httpCall(c jsCall) (rawCall, bool) {
	cl := s.close(c.open)
	if cl < 0 {
		return rawCall{}, false
	}
	at := s.tokRange(c.start, cl+1)
	t := timing{setting: "timeout", unit: time.Millisecond, mu: model.InMillis}
	idx, opts, hasOpts := s.optionsArg(c)
	client := c.name
	note := ""
	var attempts func(*fnEnv) (int, string)
	var fixOpts = -1 // the options object to write into
	if hasOpts && opts.k == jvObj {
		fixOpts = opts.open
	}
	switch c.kind {
	case "fetch", "node-fetch":
		t.setting, t.total = "signal", true
		sig, ok := s.prop(opts, "signal")
		switch {
		case ok && sig.k == jvInst && sig.inst.ctor == "AbortSignal.timeout":
			t.timeout, t.setting = sig.n, "AbortSignal.timeout"
		case ok && sig.k == jvMeth && sig.inst.ctor == "AbortController" && sig.s == "signal":
			if a, found := kw(sig.inst.args, "timer"); found {
				t.timeout, t.setting = s.asNum(s.eval(a.start, a.end, 0)), "the abort timer"
			} else {
				t.timeout = unknownNum("the signal's AbortController is aborted by code gatelint does not time")
			}
		case ok:
			t.timeout = unknownNum("signal " + s.snippet(sig.start, sig.end) + " is not one gatelint can time")
		default:
			if to, ok := s.prop(opts, "timeout"); ok && c.kind == "node-fetch" {
				t.timeout, t.setting = s.asNum(to), "timeout"
			} else if hasOpts && opts.k == jvObj && s.hasSpread(opts.open) {
				t.timeout = unknownNum("the options spread another object, which may hold a signal")
			} else if hasOpts && opts.k != jvObj && opts.k != jvNone {
				t.timeout = unknownNum("the options are " + kindWordJS(opts))
			} else {
				t.missing = true
				if c.kind == "fetch" {
					t.dflt, t.setting = undiciDefault, "headersTimeout"
					t.total = false
				}
			}
		}
		if c.kind == "node-fetch" && !strings.Contains(client, "node") {
			client += " (node-fetch)"
		}
	case "axios", "got":
		key := "timeout"
		read := func(o jv) bool {
			v, ok := s.prop(o, key)
			if !ok {
				return false
			}
			if c.kind == "got" && v.k == jvObj {
				for _, k := range []string{"request", "response", "read"} {
					if x, ok := s.prop(v, k); ok {
						t.timeout, t.setting = s.asNum(x), "timeout."+k
						t.total = k == "request"
						return true
					}
				}
				t.timeout = unknownNum("timeout sets only phases gatelint does not add up")
				return true
			}
			t.timeout = s.asNum(v)
			return true
		}
		switch {
		case hasOpts && opts.k == jvObj && read(opts):
		case c.inst != nil && len(c.inst.args) > 0 && read(s.eval(c.inst.args[0].start, c.inst.args[0].end, 0)):
			fixOpts = -1
			if o := s.eval(c.inst.args[0].start, c.inst.args[0].end, 0); o.k == jvObj {
				fixOpts = o.open
			}
		case c.kind == "axios" && len(s.decls["axios.defaults.timeout"]) > 0:
			d := s.decls["axios.defaults.timeout"]
			t.timeout, t.setting = s.asNum(s.eval(d[len(d)-1].start, d[len(d)-1].end, 0)), "axios.defaults.timeout"
		case hasOpts && opts.k == jvObj && s.hasSpread(opts.open):
			t.timeout = unknownNum("the options spread another object, which may hold a timeout")
		case hasOpts && opts.k != jvObj && opts.k != jvNone:
			t.timeout = unknownNum("the options are " + kindWordJS(opts))
		default:
			t.missing = true
		}
		if c.kind == "got" {
			method := strings.ToUpper(c.method)
			if m, ok := s.prop(opts, "method"); ok && m.k == jvStr {
				method = strings.ToUpper(m.s)
			}
			if method == "" {
				method = "GET"
			}
			att, from := gotAttempts, "got's default retry limit 2"
			if method == "POST" || method == "PATCH" {
				att, from = 1, ""
			}
			if r, ok := s.prop(opts, "retry"); ok {
				if r.k == jvObj {
					r, ok = s.prop(r, "limit")
				}
				if n := s.asNum(r); ok && n.k == numKnown {
					att, from = int(n.v)+1, "retry limit"
				}
			}
			attempts = func(*fnEnv) (int, string) { return att, from }
			if !strings.HasPrefix(client, "got") {
				client += " (got)"
			}
		} else if !strings.HasPrefix(client, "axios") {
			client += " (axios)"
		}
	}
	t.attempts = attempts
	open := c.open
	nargs := len(c.args)
	kind := c.kind
	return rawCall{at: at, build: func(e *fnEnv) *model.Call {
		mc := callAt(client, s.lang, at)
		mc.Note = note
		t.finish(mc, e)
		mc.Fix = func(budget time.Duration) (string, []finding.TextEdit) {
			per := perAttempt(budget, mc.Attempts, time.Millisecond)
			if mc.Total {
				per = perAttempt(budget, 1, time.Millisecond)
			}
			ms := formatNum(per)
			d := time.Duration(per) * time.Millisecond
			member := "timeout: " + ms
			switch kind {
			case "fetch", "node-fetch":
				member = "signal: AbortSignal.timeout(" + ms + ")"
			case "got":
				member = "timeout: { request: " + ms + " }"
			}
			switch {
			case !t.missing && t.timeout.k != numUnknown:
				if ed := setNum(t.timeout, e, ms); ed != nil {
					return describe(client, t.setting, d), ed
				}
				return "", nil
			case !t.missing:
				return "", nil
			case fixOpts >= 0:
				if kind == "fetch" {
					if r, ok := s.memberRange(fixOpts, "signal"); ok {
						return describe(client, "signal", d), s.edit(s.Toks[r[0]].Start, s.Toks[r[1]-1].End, member)
					}
				}
				return describe(client, "timeout", d), s.insertMember(fixOpts, member)
			}
			fill := ""
			for i := nargs; i < idx; i++ {
				fill += "undefined, "
			}
			if nargs == 0 && idx > 0 {
				return "", nil
			}
			return describe(client, "timeout", d), s.insertArg(open, fill+"{ "+member+" }")
		}
		return mc
	}}, true
}

func kindWordJS(v jv) string {
	if v.why != "" {
		return v.why
	}
	return "a value gatelint does not follow"
}

// sdkCall builds the call of an AWS SDK client, at its construction.
func (s *jsScan) sdkCall(in *jsInst) rawCall {
	cl := s.close(in.open)
	at := s.tokRange(in.start, cl+1)
	svc := in.service
	var through []loc.Range
	slow := false
	for i, m := range in.methods {
		op := in.ops[i]
		if awsfacts.SlowOperation(svc, op) && !s.jsAsyncInvoke(m, op) {
			slow = true
			if mc := s.close(m); mc > 0 {
				through = append(through, s.tokRange(s.calleeStart(m), mc+1))
			}
		}
	}
	if len(in.methods) == 0 && awsfacts.SlowService(svc) && awsfacts.SlowOperation(svc, "any") {
		slow = true
	}
	var cfg jv
	if a, ok := positional(in.args, 0); ok {
		cfg = s.eval(a.start, a.end, 0)
	}
	t := timing{unit: time.Millisecond, mu: model.InMillis}
	note := ""
	v2 := in.ctor == "sdk2"
	var handler jv // the requestHandler's options object
	var maxAttempts jv
	hasMax := false
	if cfg.k != jvObj && cfg.k != jvUnknown && cfg.k != jvNone || cfg.k == jvUnknown && cfg.why != "" && len(in.args) > 0 {
		t.timeout = unknownNum("the client's configuration is " + kindWordJS(cfg))
	} else if v2 {
		t.setting = "httpOptions.timeout"
		if h, ok := s.prop(cfg, "httpOptions"); ok && h.k == jvObj {
			handler = h
			if v, ok := s.prop(h, "timeout"); ok {
				t.timeout = s.asNum(v)
			} else {
				t.missing, t.dflt = true, jsSDK2Timeout
			}
			if v, ok := s.prop(h, "connectTimeout"); ok {
				t.connect, t.connSetting = s.asNum(v), "httpOptions.connectTimeout"
			}
		} else {
			t.missing, t.dflt = true, jsSDK2Timeout
		}
		maxAttempts, hasMax = s.prop(cfg, "maxRetries")
	} else {
		t.setting = "requestTimeout"
		h, ok := s.prop(cfg, "requestHandler")
		if ok && h.k == jvInst && h.inst.ctor == "NodeHttpHandler" && len(h.inst.args) > 0 {
			h = s.eval(h.inst.args[0].start, h.inst.args[0].end, 0)
		}
		switch {
		case ok && h.k == jvObj:
			handler = h
			rt, hasRT := s.prop(h, "requestTimeout")
			thr, hasThr := s.prop(h, "throwOnRequestTimeout")
			st, hasST := s.prop(h, "socketTimeout")
			switch {
			case hasRT && hasThr && thr.k == jvBool && thr.s == "true":
				t.timeout = s.asNum(rt)
			case hasST:
				t.timeout, t.setting = s.asNum(st), "socketTimeout"
				if hasRT {
					note = "requestTimeout only logs a warning without throwOnRequestTimeout: true (@smithy/node-http-handler 4.4.0 and later)."
				}
			case hasRT:
				t.missing = true
				note = "Its requestTimeout only logs a warning without throwOnRequestTimeout: true (@smithy/node-http-handler 4.4.0 and later): the request goes on."
			default:
				t.missing = true
			}
			if v, ok := s.prop(h, "connectionTimeout"); ok {
				t.connect, t.connSetting = s.asNum(v), "connectionTimeout"
			}
		case ok:
			t.timeout = unknownNum("requestHandler " + s.snippet(h.start, h.end) + " is not one gatelint reads")
		default:
			t.missing = true
		}
		maxAttempts, hasMax = s.prop(cfg, "maxAttempts")
	}
	dynamo := strings.Contains(strings.ToLower(svc), "dynamodb")
	t.attempts = func(e *fnEnv) (int, string) {
		if hasMax {
			if n := s.asNum(maxAttempts).resolve(e.lookup); n.k == numKnown {
				if v2 {
					return int(n.v) + 1, "maxRetries + the first"
				}
				return int(n.v), "maxAttempts"
			}
		}
		if text, _, ok, _ := e.lookup("AWS_MAX_ATTEMPTS"); ok && !v2 {
			if n, err := strconv.Atoi(strings.TrimSpace(text)); err == nil && n > 0 {
				return n, "AWS_MAX_ATTEMPTS"
			}
		}
		switch {
		case v2 && dynamo:
			return jsSDK2Dynamo + 1, "maxRetries 10 for DynamoDB, the default"
		case v2:
			return jsSDK2Retries + 1, "maxRetries 3, the default"
		}
		return jsSDKAttempts, "maxAttempts 3, the default"
	}
	name := "AWS SDK for JavaScript " + svc + " client"
	if v2 {
		name = "AWS SDK for JavaScript v2 " + svc + " client"
	}
	open := in.open
	return rawCall{at: at, build: func(e *fnEnv) *model.Call {
		mc := callAt(name, s.lang, at)
		mc.Service, mc.Fast, mc.Through, mc.Note = svc, !slow, through, note
		t.finish(mc, e)
		mc.Fix = func(budget time.Duration) (string, []finding.TextEdit) {
			att := min(mc.Attempts, 2)
			per := formatNum(perAttempt(budget, att, time.Millisecond))
			retries := fmt.Sprintf("maxAttempts: %d", att)
			members := "requestHandler: { requestTimeout: " + per + ", throwOnRequestTimeout: true }"
			if v2 {
				retries = fmt.Sprintf("maxRetries: %d", att-1)
				members = "httpOptions: { timeout: " + per + " }"
			}
			desc := fmt.Sprintf("bound %s to %s ms an attempt, %d attempts", name, per, att)
			var eds []finding.TextEdit
			switch {
			case cfg.k != jvObj && len(in.args) > 0:
				return "", nil
			case cfg.k != jvObj:
				return desc, s.insertArg(open, "{ "+members+", "+retries+" }")
			case handler.k == jvObj:
				var add []string
				setKey := func(key, text string) {
					if r, ok := s.memberRange(handler.open, key); ok {
						eds = append(eds, s.edit(s.Toks[r[0]].Start, s.Toks[r[1]-1].End, key+": "+text)...)
					} else {
						add = append(add, key+": "+text)
					}
				}
				if v2 {
					setKey("timeout", per)
				} else {
					setKey("requestTimeout", per)
					setKey("throwOnRequestTimeout", "true")
					if r, ok := s.memberRange(handler.open, "socketTimeout"); ok {
						eds = append(eds, s.edit(s.Toks[r[0]].Start, s.Toks[r[1]-1].End, "socketTimeout: "+per)...)
					}
				}
				if len(add) > 0 {
					eds = append(eds, s.insertMember(handler.open, strings.Join(add, ", "))...)
				}
			default:
				if _, ok := s.memberRange(cfg.open, "requestHandler"); ok && !v2 {
					return "", nil // a handler gatelint cannot write into
				}
				eds = append(eds, s.insertMember(cfg.open, members)...)
			}
			if mc.Attempts > att {
				key := "maxAttempts"
				if v2 {
					key = "maxRetries"
				}
				if r, ok := s.memberRange(cfg.open, key); ok {
					eds = append(eds, s.edit(s.Toks[r[0]].Start, s.Toks[r[1]-1].End, retries)...)
				} else if handler.k != jvObj {
					// one insertion into the config: join it with the handler's
					last := eds[len(eds)-1]
					last.NewText = strings.Replace(last.NewText, members, members+", "+retries, 1)
					eds[len(eds)-1] = last
				} else {
					eds = append(eds, s.insertMember(cfg.open, retries)...)
				}
			}
			return desc, eds
		}
		return mc
	}}
}

// jsAsyncInvoke reports whether a Lambda invoke is asynchronous.
func (s *jsScan) jsAsyncInvoke(open int, op string) bool {
	if op != "invoke" && op != "InvokeCommand" {
		return false
	}
	cl := s.close(open)
	for k := open; k < cl; k++ {
		if s.Is(k, "InvocationType") {
			if v, ok := s.strValue(k + 2); ok {
				return v == "Event" || v == "DryRun"
			}
		}
	}
	return false
}
