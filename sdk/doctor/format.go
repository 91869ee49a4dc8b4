package doctor

import (
	"fmt"
	"io/fs"
	"slices"
	"strconv"
)

func itoa(n int) string { return strconv.Itoa(n) }

func octal(perm fs.FileMode) string { return fmt.Sprintf("%04o", uint32(perm)) }

func sorted(s []string) []string {
	slices.Sort(s)
	return s
}
