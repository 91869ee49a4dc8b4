package main

import (
	"io"
	"os"
)

// runsFile counts the runs of the stateful mutation, in the resolver's
// own directory (the gateway's working directory for it).
const runsFile = "stateful.runs"

// coldCache tells the stateful mutation whether this run is one with a
// cold cache: every other run, counted in runsFile. Each run appends one
// byte; with O_APPEND the write and the move to the end are one step, so
// the offset after it numbers the runs uniquely even when they overlap.
// Any run and the next one therefore disagree, which makes the flaw show
// on every pair of runs, at once or in a row.
func coldCache() bool {
	f, err := os.OpenFile(runsFile, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return false
	}
	defer f.Close()
	if _, err := f.Write([]byte{'.'}); err != nil {
		return false
	}
	n, err := f.Seek(0, io.SeekCurrent)
	return err == nil && n%2 == 0
}
