package main

import (
	"crypto/rand"
	"encoding/hex"
)

// nonce is random text for this run's values, so that a value left over
// from another run (a cache, a stale file) cannot pass for this one's.
func nonce() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}
