//go:build !linux

package benchcompare

// Elsewhere than on Linux a child's ru_maxrss is not known to include its
// parent's: every figure is taken as the process's own.

func resetOwnPeak() {}

func ownPeak() int64 { return 0 }
