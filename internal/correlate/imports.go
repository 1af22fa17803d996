package correlate

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/gatelint/gatelint/internal/model"
)

// Imports links each integration that imports its function by name
// (CloudFormation's Fn::ImportValue of another stack's export; CDK's
// every cross-stack reference) to the function a template of the run
// exports under that name. Every Lambda integration still without a
// function then gets a note naming what it invokes: it is not judged
// against any function's timeout, and the user should know.
func Imports(m *model.Model) {
	noted := map[*model.Integration]bool{}
	for _, im := range m.Imports {
		in := im.Integration
		if in.Function != nil {
			continue
		}
		matches := closest(exportsNamed(m.Exports, im.Name), im.Loc.File)
		switch len(matches) {
		case 0:
			m.Notes = append(m.Notes, model.Note{Loc: im.Loc, Message: fmt.Sprintf(
				"the integration of %s imports its function as %q, which no template read exports: its timeout is not compared with the function's (check the exporting stack's template too)", endpointsOf(in), im.Name)})
		case 1:
			e := matches[0]
			in.Function, in.Qualifier = e.Function, e.Qualifier
			if len(in.Endpoints) > 0 && !slices.Contains(e.Function.Integrations, in) {
				e.Function.Integrations = append(e.Function.Integrations, in)
			}
			continue
		default:
			var where []string
			for _, e := range matches {
				where = append(where, e.Function.Resource.Name()+" ("+e.Loc.String()+")")
			}
			m.Notes = append(m.Notes, model.Note{Loc: im.Loc, Message: fmt.Sprintf(
				"the integration of %s imports its function as %q, which several templates export: %s; it is not linked", endpointsOf(in), im.Name, strings.Join(where, ", "))})
		}
		noted[in] = true
	}
	for _, api := range m.APIs {
		for _, e := range api.Endpoints {
			in := e.Integration
			if in == nil || in.Function != nil || in.Invokes == "" || noted[in] {
				continue
			}
			noted[in] = true
			m.Notes = append(m.Notes, model.Note{Loc: in.Loc, Message: fmt.Sprintf(
				"the integration of %s invokes %s, which is no function read in this run: its timeout is not compared with the function's", endpointsOf(in), in.Invokes)})
		}
	}
}

// exportsNamed finds the exports an import of name reads: by the name,
// or, for an export named partly at deploy, by its pattern; an import
// whose own name is partly known matches an export written the same way.
func exportsNamed(exports []*model.Export, name string) []*model.Export {
	var out []*model.Export
	for _, e := range exports {
		switch {
		case e.Name == name:
		case e.Pattern != "" && !strings.Contains(name, "${"):
			if ok, _ := regexp.MatchString(e.Pattern, name); !ok {
				continue
			}
		default:
			continue
		}
		out = append(out, e)
	}
	return out
}

// closest keeps, of several exports of one name, those of the templates
// closest to the importing file: the most directories in common. One
// synthesized CDK app (a cdk.out) or one environment's stacks
// (envs/prod/) is one deploy, whose exports its own imports read; two
// copies of an app in one run (two cdk.out, envs/prod and envs/dev)
// export the same names. A tie is left for the caller to report.
func closest(exports []*model.Export, file string) []*model.Export {
	if len(exports) < 2 {
		return exports
	}
	dir := filepath.Dir(file)
	best, out := -1, []*model.Export(nil)
	for _, e := range exports {
		n := commonDirs(dir, filepath.Dir(e.Loc.File))
		switch {
		case n > best:
			best, out = n, []*model.Export{e}
		case n == best:
			out = append(out, e)
		}
	}
	return out
}

// commonDirs counts the leading directories two paths share.
func commonDirs(a, b string) int {
	as, bs := strings.Split(filepath.ToSlash(a), "/"), strings.Split(filepath.ToSlash(b), "/")
	n := 0
	for n < len(as) && n < len(bs) && as[n] == bs[n] {
		n++
	}
	return n
}

// endpointsOf names an integration's endpoints for notes.
func endpointsOf(in *model.Integration) string {
	var names []string
	for _, e := range in.Endpoints {
		names = append(names, e.Name())
	}
	if len(names) == 0 {
		return in.Resource.Name()
	}
	return strings.Join(names, ", ")
}
