//go:build !race

package benchcompare

const raceEnabled = false
