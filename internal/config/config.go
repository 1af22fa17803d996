// Package config reads .gatelint.yaml: which rules run, at what severity,
// and the limits that differ between accounts.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/rules"
)

// DefaultName is looked for in the working directory.
const DefaultName = ".gatelint.yaml"

// File is the config file's content.
type File struct {
	// Rules maps a rule ID or name to "off", "on", or a severity; or to
	// {enabled: bool, severity: s}.
	Rules map[string]RuleSetting `yaml:"rules"`
	// Margin is how many milliseconds before the integration timeout a
	// function must give up (GL002).
	Margin *int64 `yaml:"margin"`
	// RestMaxTimeout is the raised REST integration timeout quota.
	RestMaxTimeout *int64 `yaml:"rest-max-timeout"`
	// NearTimeoutPercent is the share of the integration timeout at which
	// a p99 latency counts as close to it (GL006).
	NearTimeoutPercent *int64 `yaml:"near-timeout-percent"`
	// AsyncThreshold is how many times what its API can wait a function's
	// Timeout must be for GL003 to call the work long from configuration
	// alone (default 1.5).
	AsyncThreshold *float64 `yaml:"async-threshold"`
	// CallMargin is how many milliseconds before the integration's wait
	// an outbound call of the function's code must give up (GL011).
	CallMargin *int64   `yaml:"call-margin"`
	FailOn     string   `yaml:"fail-on"`
	Exclude    []string `yaml:"exclude"`
}

// RuleSetting is one entry of rules:.
type RuleSetting struct {
	Enabled  *bool
	Severity *finding.Severity
}

// UnmarshalYAML accepts `off`, `on`, `false`, a severity, or a mapping.
func (s *RuleSetting) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.MappingNode {
		var m struct {
			Enabled  *bool  `yaml:"enabled"`
			Severity string `yaml:"severity"`
		}
		if err := n.Decode(&m); err != nil {
			return err
		}
		s.Enabled = m.Enabled
		if m.Severity != "" {
			sev, err := finding.ParseSeverity(m.Severity)
			if err != nil {
				return fmt.Errorf("line %d: %w", n.Line, err)
			}
			s.Severity = &sev
		}
		return nil
	}
	v := strings.ToLower(n.Value)
	switch v {
	case "off", "false", "no", "disabled":
		f := false
		s.Enabled = &f
		return nil
	case "on", "true", "yes", "enabled":
		t := true
		s.Enabled = &t
		return nil
	}
	sev, err := finding.ParseSeverity(v)
	if err != nil {
		return fmt.Errorf("line %d: %q is not off, on or a severity", n.Line, n.Value)
	}
	s.Severity = &sev
	return nil
}

// Load reads path. A missing default file is not an error; a missing file
// the user named is.
func Load(path string, named bool) (*File, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && !named {
		return &File{}, nil
	}
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

var yamlLine = regexp.MustCompile(`^\s*line (\d+): `)

// Parse reads a config file's content. Errors name the file and line:
// a typo in a key must not silently leave a setting at its default.
func Parse(path string, data []byte) (*File, error) {
	var f File
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		var te *yaml.TypeError
		if errors.As(err, &te) && len(te.Errors) > 0 {
			msg := te.Errors[0]
			if m := yamlLine.FindStringSubmatch(msg); m != nil {
				return nil, fmt.Errorf("%s:%s: %s", path, m[1], msg[len(m[0]):])
			}
			return nil, fmt.Errorf("%s: %s", path, msg)
		}
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			return nil, fmt.Errorf("%s:%s: %s", path, m[1], msg[len(m[0]):])
		}
		return nil, fmt.Errorf("%s: %s", path, msg)
	}
	var doc yaml.Node
	_ = yaml.Unmarshal(data, &doc) // it decoded above, so it parses
	if p := f.NearTimeoutPercent; p != nil && (*p < 1 || *p > 100) {
		return nil, fmt.Errorf("%s:%d: near-timeout-percent must be between 1 and 100, not %d", path, topKeyLine(&doc, "near-timeout-percent"), *p)
	}
	if a := f.AsyncThreshold; a != nil && *a < 1 {
		return nil, fmt.Errorf("%s:%d: async-threshold must be at least 1 (a Timeout that many times what the API can wait), not %g", path, topKeyLine(&doc, "async-threshold"), *a)
	}
	if m := f.CallMargin; m != nil && *m < 1 {
		return nil, fmt.Errorf("%s:%d: call-margin must be at least 1 (milliseconds before the integration's wait), not %d", path, topKeyLine(&doc, "call-margin"), *m)
	}
	for k := range f.Rules {
		if rules.Lookup(k) == nil {
			return nil, fmt.Errorf("%s:%d: unknown rule %q ('gatelint rules' lists them)", path, keyLine(&doc, k), k)
		}
	}
	return &f, nil
}

// keyLine finds the line of key k under rules:, for error messages.
func keyLine(doc *yaml.Node, k string) int {
	if len(doc.Content) == 0 {
		return 0
	}
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "rules" {
			continue
		}
		rs := root.Content[i+1]
		for j := 0; j+1 < len(rs.Content); j += 2 {
			if rs.Content[j].Value == k {
				return rs.Content[j].Line
			}
		}
	}
	return 0
}

// topKeyLine finds the line of a top-level key, for error messages.
func topKeyLine(doc *yaml.Node, k string) int {
	if len(doc.Content) == 0 {
		return 0
	}
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == k {
			return root.Content[i].Line
		}
	}
	return 0
}
