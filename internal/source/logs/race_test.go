//go:build race

package logs

// raceEnabled: the race detector multiplies time and memory, so the
// memory test, which measures the container's own, does not run under it.
const raceEnabled = true
