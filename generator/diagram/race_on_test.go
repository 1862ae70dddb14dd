//go:build race

package diagram

// raceEnabled: the test binary was built with -race.
const raceEnabled = true
