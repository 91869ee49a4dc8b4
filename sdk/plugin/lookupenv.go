package plugin

import "os"

// lookupEnv is this program's environment: the Runner's, or the process's.
func (r *Runner) lookupEnv() func(string) (string, bool) {
	if r.LookupEnv != nil {
		return r.LookupEnv
	}
	return os.LookupEnv
}
