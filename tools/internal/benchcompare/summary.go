package benchcompare

import (
	"slices"
	"time"
)

// summarize is a side's figures over its samples: times from the timed
// runs, memory from the memory runs when there are any.
func summarize(s Side, samples, memory []Sample) Summary {
	sum := Summary{
		Name:  s.Name,
		Runs:  len(samples),
		Procs: len(s.Procs),
		Wall:  spreadOf(samples, func(x Sample) time.Duration { return x.Wall }),
		CPU:   spreadOf(samples, func(x Sample) time.Duration { return x.CPU }),
	}
	if len(memory) > 0 {
		samples = memory
		sum.MemoryRuns = len(memory)
	}
	sum.PeakRSS = spreadOf(samples, func(x Sample) int64 { return x.PeakRSS })
	sum.SumRSS = spreadOf(samples, func(x Sample) int64 { return x.SumRSS })
	// An upper bound among the runs makes the median, minimum and
	// maximum upper bounds too.
	for _, x := range samples {
		sum.PeakRSSAtMost = sum.PeakRSSAtMost || x.PeakRSSAtMost
		sum.SumRSSAtMost = sum.SumRSSAtMost || x.SumRSSAtMost
		sum.RSSBound = max(sum.RSSBound, x.RSSBound)
	}
	return sum
}

// spreadOf is the spread of one figure of the samples.
func spreadOf[T time.Duration | int64](samples []Sample, figure func(Sample) T) Spread[T] {
	v := make([]T, len(samples))
	for i, x := range samples {
		v[i] = figure(x)
	}
	return spread(v)
}

// spread is the median, minimum and maximum of v. With an even number of
// values the median is the mean of the two middle ones (rounded toward
// the lower one). No values give zeros.
func spread[T time.Duration | int64](v []T) Spread[T] {
	if len(v) == 0 {
		return Spread[T]{}
	}
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	median := s[n/2]
	if n%2 == 0 {
		lo, hi := s[n/2-1], s[n/2]
		median = lo + (hi-lo)/2
	}
	return Spread[T]{Median: median, Min: s[0], Max: s[n-1]}
}
