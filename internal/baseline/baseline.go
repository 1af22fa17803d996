// Package baseline records the findings a team has accepted, so gatelint
// can report only new ones. A finding is matched by rule, resource (file
// and address) and endpoint, never by line: editing a file above a
// resource must not make its old finding new again.
package baseline

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"

	"github.com/gatelint/gatelint/internal/finding"
)

// Version is the format's version; Read refuses others.
const Version = 1

// File is a baseline as stored:
//
//	{"version": 1, "findings": [{"rule": "GL002", "file": "template.yaml",
//	  "resource": "ReportsFn", "endpoint": "ReportsApi POST /reports",
//	  "message": "..."}]}
//
// resource is the resource's address in its source (a CloudFormation
// logical ID, an ARN). Baselines written before addresses existed hold
// the logical ID, which is how a live resource was named then: an entry
// matches either. message is informational (for reviewers of the file)
// and not matched.
type File struct {
	Version  int     `json:"version"`
	Findings []Entry `json:"findings"`
}

// Entry is one accepted finding.
type Entry struct {
	Rule     string `json:"rule"`
	File     string `json:"file"`
	Resource string `json:"resource"`
	Endpoint string `json:"endpoint,omitempty"`
	Message  string `json:"message,omitempty"`
}

type key struct{ rule, file, resource, endpoint string }

func (e Entry) key() key { return key{e.Rule, e.File, e.Resource, e.Endpoint} }

// entry is how a finding is recorded.
func entry(f finding.Finding) Entry {
	file := f.Resource.File
	if file == "" {
		file = f.Location.File
	}
	if file != "" {
		file = filepath.ToSlash(filepath.Clean(file))
	}
	e := Entry{Rule: f.RuleID, File: file, Resource: f.Resource.Address, Message: f.Message}
	if f.Endpoint != nil {
		e.Endpoint = f.Endpoint.API + " " + f.Endpoint.String()
	}
	return e
}

// New records fs, sorted so the file diffs well in review.
func New(fs []finding.Finding) *File {
	b := &File{Version: Version, Findings: make([]Entry, 0, len(fs))}
	for _, f := range fs {
		b.Findings = append(b.Findings, entry(f))
	}
	slices.SortStableFunc(b.Findings, func(x, y Entry) int {
		return cmp.Or(cmp.Compare(x.File, y.File), cmp.Compare(x.Resource, y.Resource),
			cmp.Compare(x.Rule, y.Rule), cmp.Compare(x.Endpoint, y.Endpoint))
	})
	return b
}

// Write stores b as indented JSON.
func (b *File) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(b)
}

// Parse reads a baseline; name is used in errors, which give the line of
// a syntax error.
func Parse(name string, data []byte) (*File, error) {
	var b File
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return nil, fmt.Errorf("%s:%d: not a gatelint baseline: %w", name, lineOf(data, se.Offset), err)
		case errors.As(err, &te):
			return nil, fmt.Errorf("%s:%d: not a gatelint baseline: %w", name, lineOf(data, te.Offset), err)
		}
		return nil, fmt.Errorf("%s: not a gatelint baseline: %w", name, err)
	}
	if b.Version != Version {
		return nil, fmt.Errorf("%s: baseline version %d, want %d (write it again with --write-baseline)", name, b.Version, Version)
	}
	return &b, nil
}

func lineOf(data []byte, off int64) int {
	off = min(max(off, 0), int64(len(data)))
	return bytes.Count(data[:off], []byte("\n")) + 1
}

// Filter returns the findings the baseline does not hold. Each entry
// absorbs one finding, so a second finding of the same kind on the same
// resource and endpoint is still new.
func (b *File) Filter(fs []finding.Finding) (fresh []finding.Finding, known int) {
	left := map[key]int{}
	for _, e := range b.Findings {
		left[e.key()]++
	}
	for _, f := range fs {
		k := entry(f).key()
		if left[k] == 0 && f.Resource.LogicalID != "" {
			k.resource = f.Resource.LogicalID
		}
		if left[k] > 0 {
			left[k]--
			known++
			continue
		}
		fresh = append(fresh, f)
	}
	return fresh, known
}
