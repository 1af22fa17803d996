package driver

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gatelint/gatelint/internal/finding"
)

// undeclared is an error for each --param no template read declares
// (CloudFormation refuses a parameter its template does not declare),
// naming those they do declare.
func undeclared(given []string, declared map[string]bool) []finding.InputError {
	var errs []finding.InputError
	names := slices.Sorted(func(yield func(string) bool) {
		for d := range declared {
			if !yield(d) {
				return
			}
		}
	})
	for _, g := range given {
		if declared[g] {
			continue
		}
		msg := fmt.Sprintf("no template read declares a parameter %s", g)
		switch {
		case len(names) == 0:
			msg += " (they declare none)"
		case len(names) <= 20:
			msg += " (declared: " + strings.Join(names, ", ") + ")"
		default:
			msg += fmt.Sprintf(" (declared: %s and %d more)", strings.Join(names[:20], ", "), len(names)-20)
		}
		errs = append(errs, finding.InputError{File: "--param", Message: msg})
	}
	return errs
}
