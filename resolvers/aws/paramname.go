package aws

import (
	"strconv"
	"strings"
)

// How an asked string names a parameter: a name or an ARN, then
// optionally ":3" (a version) or ":label". GetParameters echoes the
// selector in an answer's Selector, which is what ties the answer to the
// name asked; a parameter name holds no ':', and ARNs have exactly five
// before the resource, so the split is never a guess.

// splitSelector splits an ssm: name into the parameter (a name or an
// ARN) and its selector (":3", ":label" or "").
func splitSelector(s string) (param, selector string, ok bool) {
	if strings.HasPrefix(s, "arn:") {
		f := strings.Split(s, ":")
		if len(f) < 6 || len(f) > 7 || f[2] != "ssm" || !strings.HasPrefix(f[5], "parameter/") || f[5] == "parameter/" {
			return "", "", false
		}
		param = strings.Join(f[:6], ":")
		if len(f) == 7 {
			if f[6] == "" {
				return "", "", false
			}
			selector = ":" + f[6]
		}
		return param, selector, true
	}
	param, sel, has := strings.Cut(s, ":")
	if param == "" || has && (sel == "" || strings.Contains(sel, ":")) {
		return "", "", false
	}
	if has {
		selector = ":" + sel
	}
	return param, selector, true
}

// selectorVersion is the version a selector names, when it is a number
// (labels cannot start with a digit).
func selectorVersion(selector string) (int64, bool) {
	digits := strings.TrimPrefix(selector, ":")
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return 0, false // ParseInt would take "+3"
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	return n, err == nil
}

// parameterFamily is a key that every name of one parameter shares: the
// name without an ARN's prefix (and so its account) and leading slashes,
// case folded. "/x", "x" and arn:…:parameter/x share it. It is
// conservative: different parameters may share it too, which costs a
// call, never a wrong answer.
func parameterFamily(param string) string {
	if strings.HasPrefix(param, "arn:") {
		_, param, _ = strings.Cut(param, ":parameter/")
	}
	return strings.ToLower(strings.TrimLeft(param, "/"))
}
