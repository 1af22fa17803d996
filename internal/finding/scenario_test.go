package finding

import "testing"

func TestHolds(t *testing.T) {
	set := &Scenarios{}
	mk := func(env string, size string, big bool) *Scenario {
		s := &Scenario{Env: env, EnvKind: "samconfig environment", Set: set,
			Inputs: []Input{{Name: "Size", Value: size}}, Conds: []Cond{{Name: "Big", Holds: big}}}
		set.List = append(set.List, s)
		return s
	}
	devS, devL := mk("dev", "small", false), mk("dev", "large", true)
	prodS, prodL := mk("prod", "small", false), mk("prod", "large", true)
	for _, tt := range []struct {
		in   []*Scenario
		want string
	}{
		{[]*Scenario{devS, devL, prodS, prodL}, ""},
		{[]*Scenario{prodS, prodL}, "in samconfig environment prod"},
		{[]*Scenario{devL, prodL}, "in samconfig environment dev when Big (Size=large); in samconfig environment prod when Big (Size=large)"},
		{[]*Scenario{devS, devL, prodL}, "in samconfig environment dev; in samconfig environment prod when Big (Size=large)"},
	} {
		if got := Holds(tt.in); got != tt.want {
			t.Errorf("Holds = %q, want %q", got, tt.want)
		}
	}
	// Without environments: the conditions and values that set them apart.
	set2 := &Scenarios{}
	var ss []*Scenario
	for _, v := range []string{"dev", "staging", "prod"} {
		s := &Scenario{Set: set2, Inputs: []Input{{Name: "Env", Value: v}}, Conds: []Cond{{Name: "IsProd", Holds: v == "prod"}}}
		set2.List = append(set2.List, s)
		ss = append(ss, s)
	}
	if got := Holds(ss[2:]); got != "when IsProd (Env=prod)" {
		t.Errorf("prod: %q", got)
	}
	if got := Holds(ss[:2]); got != "when not IsProd (Env=dev or staging)" {
		t.Errorf("dev, staging: %q", got)
	}
	if got := Holds(ss[1:2]); got != "when not IsProd (Env=staging)" {
		t.Errorf("staging: %q", got)
	}
}
