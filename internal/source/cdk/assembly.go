package cdk

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
)

// A cloud assembly (cdk.out) is what `cdk synth` writes: manifest.json
// lists the stacks, each with its template and its metadata, inline
// (older releases) or in the <Stack>.metadata.json file it names as
// additionalMetadataFile. The metadata maps construct paths to entries:
// the L1's logical ID, and the traces of where the app created it
// (aws:cdk:creationStack, or since 2.251 by default; before, with
// CDK_DEBUG, a trace on the aws:cdk:logicalId entry) and of the
// properties it assigned afterwards (aws:cdk:propertyAssignment, with
// CDK_DEBUG). This is the chain the CDK CLI's own source tracer follows
// (aws/aws-cdk-cli toolkit-lib/lib/api/source-tracing).

const (
	entryLogicalID  = "aws:cdk:logicalId"
	entryCreation   = "aws:cdk:creationStack"
	entryAssignment = "aws:cdk:propertyAssignment"
)

type manifest struct {
	Artifacts map[string]struct {
		Type       string `json:"type"`
		Properties struct {
			TemplateFile string `json:"templateFile"`
		} `json:"properties"`
		Metadata               map[string][]entry `json:"metadata"`
		AdditionalMetadataFile string             `json:"additionalMetadataFile"`
		DisplayName            string             `json:"displayName"`
	} `json:"artifacts"`
}

// entry is one metadata entry (cloud-assembly-schema MetadataEntry).
type entry struct {
	Type  string          `json:"type"`
	Data  json.RawMessage `json:"data"`
	Trace []string        `json:"trace"`
}

// stack is one stack artifact of an assembly: its metadata by construct
// path (without the leading /).
type stack struct {
	name string
	// manifest is the assembly's manifest.json, as given.
	manifest string
	meta     map[string][]entry
	// paths maps logical IDs to construct paths, for templates written
	// without aws:cdk:path metadata.
	paths map[string]string
	// traced counts the construct paths with a creation trace.
	traced int
}

// findStack reads the assembly around a template: the manifest.json
// beside it and the stack artifact whose templateFile it is. It returns
// nil when the template is not in an assembly.
func findStack(template string, read func(string) ([]byte, error)) (*stack, error) {
	dir := filepath.Dir(template)
	mpath := filepath.Join(dir, "manifest.json")
	data, err := read(mpath)
	if err != nil {
		return nil, nil
	}
	var m manifest
	if err := json.Unmarshal(data, &m); err != nil || m.Artifacts == nil {
		return nil, nil // not a cloud assembly's manifest
	}
	base := filepath.Base(template)
	for name, a := range m.Artifacts {
		if a.Type != "aws:cloudformation:stack" || a.Properties.TemplateFile != base {
			continue
		}
		st := &stack{name: name, manifest: mpath, meta: map[string][]entry{}, paths: map[string]string{}}
		add := func(md map[string][]entry) {
			for k, es := range md {
				k = strings.TrimPrefix(k, "/")
				st.meta[k] = append(st.meta[k], es...)
			}
		}
		add(a.Metadata)
		if a.AdditionalMetadataFile != "" && !strings.Contains(a.AdditionalMetadataFile, "..") {
			side, err := read(filepath.Join(dir, filepath.FromSlash(a.AdditionalMetadataFile)))
			if err != nil {
				return st, err
			}
			var md map[string][]entry
			if err := json.Unmarshal(side, &md); err != nil {
				return st, err
			}
			add(md)
		}
		for p, es := range st.meta {
			traced := false
			for _, e := range es {
				switch e.Type {
				case entryLogicalID:
					var id string
					if json.Unmarshal(e.Data, &id) == nil && id != "" {
						st.paths[id] = p
					}
					traced = traced || len(e.Trace) > 0
				case entryCreation:
					traced = true
				}
			}
			if traced {
				st.traced++
			}
		}
		return st, nil
	}
	return nil, nil
}

// creation is the trace of where the construct at path was created: the
// logicalId entry's trace (older releases, CDK_DEBUG) or the creation
// stack.
func (st *stack) creation(path string) []string {
	var created []string
	for _, e := range st.meta[path] {
		switch e.Type {
		case entryLogicalID:
			if len(e.Trace) > 0 {
				return e.Trace
			}
		case entryCreation:
			if created == nil {
				_ = json.Unmarshal(e.Data, &created)
			}
		}
	}
	return created
}

// assignments are the traces of the CloudFormation property prop being
// assigned on the construct at path after it was created.
func (st *stack) assignments(path, prop string) [][]string {
	var out [][]string
	for _, e := range st.meta[path] {
		if e.Type != entryAssignment {
			continue
		}
		var d struct {
			PropertyName string   `json:"propertyName"`
			StackTrace   []string `json:"stackTrace"`
		}
		if json.Unmarshal(e.Data, &d) == nil && d.PropertyName == prop {
			out = append(out, d.StackTrace)
		}
	}
	return out
}

// appDirs are the directories a trace's paths are resolved against, most
// specific first: the directory that holds the assembly (the app's, where
// cdk.json is), then those above it up to the checkout's root (the
// directory with .git), so that code shared from beside the app is found
// too.
func appDirs(template string) []string {
	dir := filepath.Dir(template)
	// A nested assembly (a Stage's, cdk.out/assembly-Prod) lies in the
	// app's assembly: the app holds the outermost one.
	for i := 0; i < 8; i++ {
		up := filepath.Dir(dir)
		if _, err := os.Stat(filepath.Join(up, "manifest.json")); err != nil || up == dir {
			break
		}
		dir = up
	}
	app := filepath.Dir(dir)
	out := []string{app}
	for i := 0; i < 8; i++ {
		if _, err := os.Stat(filepath.Join(app, ".git")); err == nil {
			break
		}
		abs, err := filepath.Abs(app)
		if err != nil || filepath.Dir(abs) == abs {
			break
		}
		app = filepath.Join(app, "..")
		out = append(out, app)
	}
	return out
}

// resolver finds the app's files on this machine. Traces hold the paths
// of the machine that synthesized (a CI runner's /home/runner/work/...):
// a file is the longest suffix of its path that exists under the app's
// directory (else under one above it, up to the checkout's root), and
// nothing else. Results are cached per path.
type resolver struct {
	bases []string
	cache map[string]string
}

func newResolver(template string) *resolver {
	return &resolver{bases: appDirs(template), cache: map[string]string{}}
}

// resolve returns the local path of a traced file, as the user's paths
// spell it, or "" when no suffix of it exists.
func (r *resolver) resolve(traced string) string {
	if p, ok := r.cache[traced]; ok {
		return p
	}
	p := r.find(traced)
	r.cache[traced] = p
	return p
}

func (r *resolver) find(traced string) string {
	t := strings.ReplaceAll(traced, `\`, "/")
	if len(t) > 1 && t[1] == ':' {
		t = t[2:] // C:/Users/...
	}
	t = strings.TrimPrefix(t, "file://")
	var segs []string
	for _, s := range strings.Split(t, "/") {
		if s != "" && s != "." {
			segs = append(segs, s)
		}
	}
	// The app's own directory first, then those above it.
	for _, b := range r.bases {
		for k := range segs {
			suffix := filepath.Join(segs[k:]...)
			if strings.HasPrefix(suffix, "..") {
				continue
			}
			p := filepath.Join(b, suffix)
			if info, err := os.Stat(p); err == nil && info.Mode().IsRegular() {
				return p
			}
		}
	}
	return ""
}
