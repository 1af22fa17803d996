package cfn

// PruneYAML is pruneYAML, for the tests of package cfn_test.
var PruneYAML = pruneYAML
