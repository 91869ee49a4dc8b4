//go:build race

package benchcompare

// raceEnabled: the race detector's shadow memory makes the test binary
// larger than the figures its memory tests look for.
const raceEnabled = true
