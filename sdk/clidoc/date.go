package clidoc

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// ErrDate is returned for a date that is not a day, YYYY-MM-DD, or a
// SOURCE_DATE_EPOCH that is not a number of seconds.
var ErrDate = errors.New("bad date")

const dateLayout = "2006-01-02"

// SourceDate is the day of SOURCE_DATE_EPOCH, the time reproducible
// builds stamp instead of the clock's (https://reproducible-builds.org/
// specs/source-date-epoch/), in UTC; "" when it is not set.
func SourceDate(lookupEnv func(string) (string, bool)) (string, error) {
	v, ok := lookupEnv("SOURCE_DATE_EPOCH")
	if !ok || v == "" {
		return "", nil
	}
	secs, err := strconv.ParseInt(v, 10, 64)
	if err != nil || secs < 0 {
		return "", fmt.Errorf("%w: SOURCE_DATE_EPOCH %q is not a number of seconds", ErrDate, v)
	}
	return time.Unix(secs, 0).UTC().Format(dateLayout), nil
}

// checkDate accepts YYYY-MM-DD.
func checkDate(date string) error {
	if _, err := time.Parse(dateLayout, date); err != nil {
		return fmt.Errorf("%w: --date %q: want YYYY-MM-DD", ErrDate, date)
	}
	return nil
}
