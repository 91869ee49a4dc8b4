package aws

import "strings"

// How an asked string names a secret. Secrets Manager takes a name, a
// complete ARN (arn:…:secret:NAME-AbCdEf, the hyphen and six letters or
// digits appended by AWS) or a partial ARN (the same without the suffix).
// These rules decide which secrets in an answer an asked string names;
// nothing looser may, or a look-alike's value would reach the id.

// suffixLen is the length of the "-AbCdEf" AWS appends to a secret's name
// in its ARN.
const suffixLen = 7

// secretARNName is the part of a Secrets Manager ARN after ":secret:":
// the name, followed by AWS's suffix when the ARN is complete.
func secretARNName(arn string) (string, bool) {
	f := strings.Split(arn, ":")
	if len(f) != 7 || f[0] != "arn" || f[2] != "secretsmanager" || f[5] != "secret" || f[6] == "" {
		return "", false
	}
	return f[6], true
}

// isRandomSuffix reports whether s is six letters or digits, as AWS
// appends.
func isRandomSuffix(s string) bool {
	if len(s) != suffixLen-1 {
		return false
	}
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// withoutSuffix removes "-AbCdEf" from the end of s, if it ends so.
func withoutSuffix(s string) (string, bool) {
	if len(s) <= suffixLen || s[len(s)-suffixLen] != '-' || !isRandomSuffix(s[len(s)-suffixLen+1:]) {
		return "", false
	}
	return s[:len(s)-suffixLen], true
}

// names reports whether the asked string names the secret with this name
// and ARN: its name exactly, its complete ARN exactly, or its partial ARN,
// which is the complete ARN less exactly a hyphen and six letters or
// digits.
func names(asked, name, arn string) bool {
	if !strings.HasPrefix(asked, "arn:") {
		return asked == name
	}
	if asked == arn {
		return true
	}
	suffix, ok := strings.CutPrefix(arn, asked+"-")
	return ok && isRandomSuffix(suffix)
}

// consistent reports whether an answer's ARN is its name's: the name and
// then AWS's suffix. An answer whose fields disagree proves nothing.
func consistent(name, arn string) bool {
	tail, ok := secretARNName(arn)
	if !ok {
		return false
	}
	base, ok := withoutSuffix(tail)
	return ok && base == name
}

// possibleNames lists the names of the secrets an asked string could name:
// a name itself; for an ARN, the name it ends in (a partial ARN) and, when
// that ends in a hyphen and six characters, the name without them (a
// complete ARN). Both at once is the ambiguity AWS warns about.
func possibleNames(asked string) []string {
	tail, ok := secretARNName(asked)
	if !ok {
		return []string{asked}
	}
	if base, ok := withoutSuffix(tail); ok {
		return []string{tail, base}
	}
	return []string{tail}
}
