package report

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
)

// Just enough of SARIF 2.1.0 for what gatelint reports; the schema test
// keeps it honest.

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	Results     []sarifResult     `json:"results"`
	ColumnKind  string            `json:"columnKind"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Version        string      `json:"version,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string       `json:"id"`
	Name                 string       `json:"name"`
	ShortDescription     sarifText    `json:"shortDescription"`
	FullDescription      sarifText    `json:"fullDescription"`
	Help                 sarifText    `json:"help"`
	HelpURI              string       `json:"helpUri"`
	DefaultConfiguration sarifRuleCfg `json:"defaultConfiguration"`
}

type sarifRuleCfg struct {
	Level string `json:"level"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           *int              `json:"ruleIndex,omitempty"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	RelatedLocations    []sarifLocation   `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Fixes               []sarifFix        `json:"fixes,omitempty"`
	Properties          *sarifProperties  `json:"properties,omitempty"`
}

// sarifProperties carries fixes SARIF cannot express: a SARIF fix must
// change an artifact, but a live-account fix is commands to run.
type sarifProperties struct {
	CommandFixes []sarifCommandFix `json:"commandFixes,omitempty"`
	// Evidence is what the logs showed (finding.Evidence, or
	// finding.Executions for function logs).
	Evidence any `json:"evidence,omitempty"`
}

type sarifCommandFix struct {
	Description string   `json:"description"`
	Commands    []string `json:"commands"`
}

type sarifLocation struct {
	ID               *int                   `json:"id,omitempty"`
	PhysicalLocation *sarifPhysicalLocation `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogicalLocation `json:"logicalLocations,omitempty"`
	Message          *sarifText             `json:"message,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           *sarifRegion          `json:"region,omitempty"`
}

type sarifArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifLogicalLocation struct {
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

// sarifRegion uses pointers for byte fields because offset 0 is the start
// of the file, not "unknown".
type sarifRegion struct {
	StartLine   int  `json:"startLine,omitempty"`
	StartColumn int  `json:"startColumn,omitempty"`
	EndLine     int  `json:"endLine,omitempty"`
	EndColumn   int  `json:"endColumn,omitempty"`
	ByteOffset  *int `json:"byteOffset,omitempty"`
	ByteLength  *int `json:"byteLength,omitempty"`
}

type sarifFix struct {
	Description     sarifText             `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Replacements     []sarifReplacement    `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion `json:"deletedRegion"`
	InsertedContent sarifText   `json:"insertedContent"`
}

// SARIF writes a SARIF 2.1.0 log for GitHub code scanning and other
// viewers. Input errors become tool notifications: the run still succeeded.
func SARIF(w io.Writer, r *Result, o Options) error {
	driver := sarifDriver{
		Name:           "gatelint",
		InformationURI: "https://github.com/gatelint/gatelint",
		Version:        o.Version,
		Rules:          make([]sarifRule, 0, len(o.Rules)),
	}
	ruleIndex := map[string]int{}
	for i, rule := range o.Rules {
		ruleIndex[rule.ID] = i
		doc := rule.Doc()
		driver.Rules = append(driver.Rules, sarifRule{
			ID:                   rule.ID,
			Name:                 rule.Name,
			ShortDescription:     sarifText{Text: rule.Summary},
			FullDescription:      sarifText{Text: rule.Summary},
			Help:                 sarifText{Text: doc, Markdown: doc},
			HelpURI:              rule.HelpURI(),
			DefaultConfiguration: sarifRuleCfg{Level: sarifLevel(rule.Severity)},
		})
	}

	results := make([]sarifResult, 0, len(r.Findings))
	for _, f := range r.Findings {
		res := sarifResult{
			RuleID:              f.RuleID,
			Level:               sarifLevel(f.Severity),
			Message:             sarifText{Text: f.Message},
			Locations:           []sarifLocation{},
			PartialFingerprints: map[string]string{"gatelint/v1": fingerprint(f)},
		}
		if i, ok := ruleIndex[f.RuleID]; ok {
			res.RuleIndex = &i
		}
		if !f.Location.IsZero() {
			res.Locations = append(res.Locations, sarifLoc(f.Location))
		}
		for i, rel := range f.Related {
			l := sarifLoc(rel.Location)
			id := i + 1
			l.ID = &id
			l.Message = &sarifText{Text: rel.Message}
			res.RelatedLocations = append(res.RelatedLocations, l)
		}
		if ev := finding.EvidenceOf(&f); ev != nil {
			res.Properties = &sarifProperties{Evidence: ev}
		}
		for _, fix := range f.Fixes {
			if len(fix.Edits) == 0 {
				if res.Properties == nil {
					res.Properties = &sarifProperties{}
				}
				res.Properties.CommandFixes = append(res.Properties.CommandFixes,
					sarifCommandFix{Description: fix.Description, Commands: fix.Commands})
				continue
			}
			res.Fixes = append(res.Fixes, sarifFix{
				Description:     sarifText{Text: fix.Description},
				ArtifactChanges: artifactChanges(fix.Edits),
			})
		}
		results = append(results, res)
	}

	inv := sarifInvocation{ExecutionSuccessful: true}
	for _, e := range r.Errors {
		n := sarifNotification{Level: "error", Message: sarifText{Text: e.Message}}
		if e.File != "" {
			l := sarifLoc(loc.Range{File: e.File, Start: loc.Pos{Line: e.Line, Column: e.Column}})
			n.Locations = []sarifLocation{l}
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
	}
	// Notes are not results (no rule judged them), but a
	// viewer should still be able to show why a check was skipped.
	for _, u := range r.Notes {
		n := sarifNotification{Level: "note", Message: sarifText{Text: u.Message}}
		if !u.Location.IsZero() {
			n.Locations = []sarifLocation{sarifLoc(u.Location)}
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
	}

	return encode(w, sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs: []sarifRun{{
			Tool:        sarifTool{Driver: driver},
			Invocations: []sarifInvocation{inv},
			Results:     results,
			ColumnKind:  "unicodeCodePoints",
		}},
	})
}

func sarifLevel(s finding.Severity) string {
	switch s {
	case finding.Error:
		return "error"
	case finding.Warning:
		return "warning"
	case finding.Info:
		return "note"
	}
	return "none"
}

// fingerprint identifies a finding by what it is about rather than where
// it is, so code scanning keeps tracking an alert when lines move.
func fingerprint(f finding.Finding) string {
	// A live resource's name, as fingerprints have always had it, keeps
	// alerts open across versions.
	parts := []string{f.RuleID, cmp.Or(f.Resource.LogicalID, f.Resource.Address), "", ""}
	if f.Endpoint != nil {
		parts[2], parts[3] = f.Endpoint.Method, f.Endpoint.Path
	}
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(sum[:])
}

func isARN(file string) bool { return strings.HasPrefix(file, "arn:") }

// artifactLocation makes relative paths relative to %SRCROOT%, which code
// scanning maps to the checkout; anything else cannot be.
func artifactLocation(file string) sarifArtifactLocation {
	switch {
	case isARN(file):
		return sarifArtifactLocation{URI: file}
	case filepath.IsAbs(file) || strings.HasPrefix(file, "/"):
		p := filepath.ToSlash(file)
		if !strings.HasPrefix(p, "/") {
			p = "/" + p // C:/x → file:///C:/x
		}
		return sarifArtifactLocation{URI: (&url.URL{Scheme: "file", Path: p}).String()}
	}
	// url.URL escapes what a URI path may not hold (spaces, non-ASCII,
	// '#', '?') and guards a first segment with a colon.
	return sarifArtifactLocation{URI: (&url.URL{Path: filepath.ToSlash(file)}).String(), URIBaseID: "%SRCROOT%"}
}

func sarifLoc(r loc.Range) sarifLocation {
	pl := &sarifPhysicalLocation{ArtifactLocation: artifactLocation(r.File)}
	l := sarifLocation{PhysicalLocation: pl}
	if isARN(r.File) {
		// A live resource has no lines; name it so viewers can still
		// show what the finding is about.
		l.LogicalLocations = []sarifLogicalLocation{{FullyQualifiedName: r.File, Kind: "resource"}}
		return l
	}
	pl.Region = region(r.Start, r.End)
	return l
}

// region returns nil when the start line is unknown. Byte offsets are
// left out when they cannot be right (a source that only knew lines), as
// SARIF requires them to agree with the lines.
func region(start, end loc.Pos) *sarifRegion {
	if start.Line <= 0 {
		return nil
	}
	rg := &sarifRegion{StartLine: start.Line, StartColumn: start.Column}
	if end.Line <= 0 {
		return rg
	}
	rg.EndLine, rg.EndColumn = end.Line, end.Column
	if (start.Offset > 0 || start.Line == 1) && end.Offset >= start.Offset {
		off, n := start.Offset, end.Offset-start.Offset
		rg.ByteOffset, rg.ByteLength = &off, &n
	}
	return rg
}

// artifactChanges groups a fix's edits by file, in the order files first
// appear, since SARIF wants one change per artifact.
func artifactChanges(edits []finding.TextEdit) []sarifArtifactChange {
	var changes []sarifArtifactChange
	index := map[string]int{}
	for _, e := range edits {
		i, ok := index[e.File]
		if !ok {
			i = len(changes)
			index[e.File] = i
			changes = append(changes, sarifArtifactChange{ArtifactLocation: artifactLocation(e.File)})
		}
		start, n := e.Start, e.End-e.Start
		del := sarifRegion{ByteOffset: &start, ByteLength: &n}
		if e.StartPos.Line > 0 {
			del.StartLine, del.StartColumn = e.StartPos.Line, e.StartPos.Column
			if e.EndPos.Line > 0 {
				del.EndLine, del.EndColumn = e.EndPos.Line, e.EndPos.Column
			}
		}
		changes[i].Replacements = append(changes[i].Replacements,
			sarifReplacement{DeletedRegion: del, InsertedContent: sarifText{Text: e.NewText}})
	}
	return changes
}
