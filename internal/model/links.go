package model

import "github.com/gatelint/gatelint/internal/loc"

// Links between configurations read from different files: a value one
// deploy exports (a CloudFormation Output's Export.Name, which CDK writes
// for every cross-stack reference) and what another imports by that name.
// Sources record both; correlate.Imports joins them once every file is
// read.

// Export is a function a configuration makes known by name to others.
type Export struct {
	// Name is the export's name as written; Pattern, when the name is
	// partly known only at deploy ("${AWS::StackName}-FnArn"), matches
	// the names it may take.
	Name    string
	Pattern string
	// Function is what the export's value names.
	Function  *Function
	Qualifier string
	Loc       loc.Range
}

// Import is an integration that invokes a function another configuration
// exports.
type Import struct {
	Name        string
	Integration *Integration
	Loc         loc.Range
}

// Export records a function exported by name.
func (b *Builder) Export(e *Export) { b.m.Exports = append(b.m.Exports, e) }

// Import records an integration whose function is imported by name.
func (b *Builder) Import(i *Import) { b.m.Imports = append(b.m.Imports, i) }
