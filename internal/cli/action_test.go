package cli

import (
	"os"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestActionAndHooksParse: the GitHub Action and the pre-commit hooks the
// README tells users to copy are well-formed, with the keys their runners
// read. (Running them needs GitHub and pre-commit, which CI has not.)
func TestActionAndHooksParse(t *testing.T) {
	var action struct {
		Name   string
		Inputs map[string]struct {
			Description string
			Default     string
		}
		Runs struct {
			Using string
			Steps []map[string]any
		}
	}
	data, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &action); err != nil || action.Runs.Using != "composite" || len(action.Runs.Steps) < 3 || action.Name == "" {
		t.Errorf("action.yml: %v, %+v", err, action.Runs)
	}
	for _, s := range action.Runs.Steps {
		if _, uses := s["uses"]; !uses {
			if _, run := s["run"]; run {
				if s["shell"] == nil {
					t.Errorf("a composite step that runs a command needs a shell: %v", s["name"])
				}
			}
		}
	}
	var hooks []struct {
		ID, Name, Entry, Language string
	}
	data, err = os.ReadFile("../../.pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &hooks); err != nil || len(hooks) == 0 {
		t.Fatalf(".pre-commit-hooks.yaml: %v", err)
	}
	for _, h := range hooks {
		if h.ID == "" || h.Entry == "" || h.Language == "" {
			t.Errorf("hook %+v lacks id, entry or language", h)
		}
	}
}
