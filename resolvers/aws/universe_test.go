package aws_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/execref/execref/resolvers/aws/internal/fakeaws"
)

// A universe is a set of secrets and parameters whose names are built to
// be confused with each other: prefixes and extensions of one another,
// names holding the id syntax's separators, and a secret whose name ends
// in a hyphen and the six characters of another's ARN suffix. Every value
// names its own secret or parameter and version, so that a value that
// reaches the wrong id says whose it is.
type universe struct {
	secrets []*uSecret
	params  []*uParam
}

type uSecret struct {
	name, arn string
	binary    bool
	versions  []uVersion     // creation order
	stages    map[string]int // staging label → index in versions
}

type uVersion struct {
	id    string
	value string // JSON text, or the binary's bytes
}

type uParam struct {
	name, arn string
	values    []string       // version N is values[N-1]
	labels    map[string]int // label → version
}

// secretNames are the universe's secrets; lookAlike adds the name that
// ends in "-" and app/db's ARN suffix, whose partial ARN is app/db's full
// ARN.
var secretNames = []string{
	"app/db", "app/db-extra", "app/d", "app", "x/app/db", "app/db/extra",
	"app/db-abc123",       // ends in a hyphen and six characters, no collision
	"app/db::AWSPREVIOUS", // the version separator
	"app/db#k",            // the key separator
	"app:db",              // an ARN's separator; no id can name it
}

var binaryNames = []string{"bin/app", "bin/app-extra"}

// paramNames are the universe's parameters: "/r" and "r" have one ARN.
var paramNames = []string{
	"/app/p", "/app/p/q", "/app/p-q", "/app/pp", "/x/app/p", "/app/p.v2", "app/p",
	"/app/p#k", // the key separator
	"/r", "r",
}

const (
	secretFillers = 19 // one short of a BatchGetSecretValue call
	paramFillers  = 9  // one short of a GetParameters call
)

func secretValue(name string, version int) string {
	v, _ := json.Marshal(map[string]string{
		"id": fmt.Sprintf("secret %s version %d", name, version),
		"k":  fmt.Sprintf("k of secret %s version %d", name, version),
	})
	return string(v)
}

func paramValue(name string, version int) string {
	v, _ := json.Marshal(map[string]string{
		"id": fmt.Sprintf("parameter %s version %d", name, version),
		"k":  fmt.Sprintf("k of parameter %s version %d", name, version),
	})
	return string(v)
}

// seedUniverse puts the universe in f: every secret has a previous and a
// current version (app/db also a "blue" one), every parameter three
// versions (version 1 labelled "old", version 2 "live").
func seedUniverse(f *fakeaws.Server) *universe {
	u := &universe{}
	put := func(name string, binary bool) *uSecret {
		stages := [][]string{{fakeaws.StagePrevious}, {fakeaws.StageCurrent}}
		if name == "app/db" {
			stages = append(stages, []string{"blue"})
		}
		s := &uSecret{name: name, binary: binary, stages: map[string]int{}}
		for i, st := range stages {
			value := secretValue(name, i+1)
			sv := fakeaws.SecretValue{String: value, Stages: st}
			if binary {
				value = "binary of secret " + name + " version " + strconv.Itoa(i+1)
				sv = fakeaws.SecretValue{Binary: []byte(value), Stages: st}
			}
			s.versions = append(s.versions, uVersion{id: f.PutSecret(name, sv), value: value})
			s.stages[st[0]] = i
		}
		s.arn = f.SecretARN(name)
		u.secrets = append(u.secrets, s)
		return s
	}
	for _, name := range secretNames {
		put(name, false)
	}
	appDB := u.secret("app/db")
	put("app/db"+appDB.arn[len(appDB.arn)-7:], false) // its partial ARN is app/db's full ARN
	for _, name := range binaryNames {
		put(name, true)
	}

	for _, name := range paramNames {
		p := &uParam{name: name, arn: f.ParameterARN(name), labels: map[string]int{"old": 1, "live": 2}}
		for v := 1; v <= 3; v++ {
			p.values = append(p.values, paramValue(name, v))
			f.PutParameter(name, fakeaws.TypeSecureString, paramValue(name, v))
		}
		f.LabelParameterVersion(name, 1, "old")
		f.LabelParameterVersion(name, 2, "live")
		u.params = append(u.params, p)
	}
	u.seedFillers(f)
	return u
}

func (u *universe) secret(name string) *uSecret {
	for _, s := range u.secrets {
		if s.name == name {
			return s
		}
	}
	return nil
}

// ids asks for everything several ways: secrets by name, full ARN and
// partial ARN, current, by stage and by version id, whole, by key and
// binary; parameters by name and ARN, unversioned, by version and by
// label; and ids that exist nowhere.
func (u *universe) ids() []string {
	var ids []string
	for _, s := range u.secrets {
		if strings.HasPrefix(s.name, "fill/") {
			continue // asked once, below
		}
		partial := partialOf(s.arn)
		v1 := s.versions[0].id
		if s.binary {
			ids = append(ids, "smb:"+s.name, "smb:"+s.arn, "smb:"+partial, "smb:"+s.name+"::AWSPREVIOUS", "smb:"+partial+"::"+v1, "sm:"+s.name)
			continue
		}
		ids = append(ids, "sm:"+s.name, "sm:"+s.name+"#k", "sm:"+s.arn, "sm:"+s.arn+"#id", "sm:"+partial, "sm:"+partial+"#k",
			"sm:"+s.name+"::AWSPREVIOUS#k", "sm:"+s.name+"::AWSCURRENT", "sm:"+s.name+"::"+v1, "sm:"+partial+"::"+v1+"#k",
			"sm:"+s.arn+"::AWSPREVIOUS", "smb:"+s.name)
	}
	ids = append(ids, "sm:app/db::blue#k", "sm:app/db-zzzzzz", "sm:"+partialOf(u.secret("app/db").arn)+"-zzzzzz")
	for _, p := range u.params {
		if strings.HasPrefix(p.name, "/fill/") {
			continue
		}
		ids = append(ids, "ssm:"+p.name, "ssm:"+p.name+"#k", "ssm:"+p.name+":1", "ssm:"+p.name+":2#k", "ssm:"+p.name+":live",
			"ssm:"+p.name+":old#k", "ssm:"+p.name+":9", "ssm:"+p.arn, "ssm:"+p.arn+":1", "ssm:"+p.arn+":live")
	}
	for i := range secretFillers {
		ids = append(ids, fmt.Sprintf("sm:fill/s%02d", i))
	}
	for i := range paramFillers {
		ids = append(ids, fmt.Sprintf("ssm:/fill/p%02d", i))
	}
	// One string can be two forms (app/db's full ARN is its look-alike's
	// partial ARN); the gateway sends it once.
	slices.Sort(ids)
	return slices.Compact(ids)
}

// seedFillers adds the secrets and parameters that pad calls.
func (u *universe) seedFillers(f *fakeaws.Server) {
	for i := range secretFillers {
		name := fmt.Sprintf("fill/s%02d", i)
		f.PutSecretString(name, secretValue(name, 1))
		u.secrets = append(u.secrets, &uSecret{name: name, arn: f.SecretARN(name), versions: []uVersion{{value: secretValue(name, 1)}},
			stages: map[string]int{fakeaws.StageCurrent: 0}})
	}
	for i := range paramFillers {
		name := fmt.Sprintf("/fill/p%02d", i)
		f.PutParameter(name, fakeaws.TypeString, paramValue(name, 1))
		u.params = append(u.params, &uParam{name: name, arn: f.ParameterARN(name), values: []string{paramValue(name, 1)}, labels: map[string]int{}})
	}
}

// claim is the oracle's reading of an id, by the documented syntax alone:
// the values that are its own (a value of a secret or parameter it names,
// in the version it names), whether it can be addressed at all, and how
// many secrets or parameters it names.
type claim struct {
	values      []string
	addressable bool // no ':' in a secret's name, which ids cannot hold
	named       int  // secrets or parameters the id names
	current     bool // a secret id without ::VERSION
	label       bool // an ssm: id with a label selector
}

func (u *universe) claim(id string) claim {
	prefix, rest, _ := strings.Cut(id, ":")
	name, key, _ := strings.Cut(rest, "#")
	if prefix == "ssm" {
		return u.paramClaim(name, key)
	}
	name, version, pinned := strings.Cut(name, "::")
	c := claim{current: !pinned}
	part := name
	if strings.HasPrefix(name, "arn:") {
		_, part, _ = strings.Cut(name, ":secret:")
	}
	c.addressable = !strings.Contains(part, ":")
	if !pinned {
		version = fakeaws.StageCurrent
	}
	for _, s := range u.secrets {
		if !(name == s.name && !strings.HasPrefix(name, "arn:") || name == s.arn || name == partialOf(s.arn)) {
			continue
		}
		c.named++
		i, ok := s.stages[version]
		for j, v := range s.versions {
			if v.id == version {
				i, ok = j, true
			}
		}
		if !ok {
			continue
		}
		value := s.versions[i].value
		switch {
		case prefix == "smb" && s.binary:
			c.values = append(c.values, base64.StdEncoding.EncodeToString([]byte(value)))
		case prefix == "sm" && !s.binary:
			c.values = append(c.values, jsonKeyOf(value, key)...)
		}
	}
	return c
}

func (u *universe) paramClaim(name, key string) claim {
	c := claim{addressable: true}
	selector := ""
	if strings.HasPrefix(name, "arn:") {
		if fields := strings.SplitN(name, ":", 7); len(fields) == 7 {
			name, selector = strings.Join(fields[:6], ":"), fields[6]
		}
	} else {
		name, selector, _ = strings.Cut(name, ":")
	}
	n, err := strconv.Atoi(selector)
	c.label = selector != "" && err != nil
	for _, p := range u.params {
		if name != p.name && name != p.arn {
			continue
		}
		c.named++
		version := len(p.values)
		switch {
		case c.label:
			version = p.labels[selector]
		case selector != "":
			version = n
		}
		if version >= 1 && version <= len(p.values) {
			c.values = append(c.values, jsonKeyOf(p.values[version-1], key)...)
		}
	}
	return c
}

// jsonKeyOf is key of a JSON object value, or the whole value for "".
func jsonKeyOf(value, key string) []string {
	if key == "" {
		return []string{value}
	}
	var m map[string]string
	if json.Unmarshal([]byte(value), &m) != nil {
		return nil
	}
	if v, ok := m[key]; ok {
		return []string{v}
	}
	return nil
}

// owner says whose a value is, without printing it.
func (u *universe) owner(value string) string {
	forms := func(v string) []string {
		return append(append(jsonKeyOf(v, "k"), jsonKeyOf(v, "id")...), v, base64.StdEncoding.EncodeToString([]byte(v)))
	}
	for _, s := range u.secrets {
		for i, v := range s.versions {
			if slices.Contains(forms(v.value), value) {
				return fmt.Sprintf("secret %s version %d", s.name, i+1)
			}
		}
	}
	for _, p := range u.params {
		for i, v := range p.values {
			if slices.Contains(forms(v), value) {
				return fmt.Sprintf("parameter %s version %d", p.name, i+1)
			}
		}
	}
	return fmt.Sprintf("nobody's (%d bytes)", len(value))
}

func (u *universe) param(name string) *uParam {
	for _, p := range u.params {
		if p.name == name {
			return p
		}
	}
	return nil
}
