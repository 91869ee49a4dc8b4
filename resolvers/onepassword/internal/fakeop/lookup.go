package main

import (
	"fmt"
	"os"
	"strings"
	"syscall"
)

// opErr is a failure as op reports it: its message (after "[ERROR] date
// time "), and whether the call must hang instead of answering.
type opErr struct {
	msg  string
	hang bool
}

func (e *opErr) Error() string { return e.msg }

func fail(format string, args ...any) *opErr { return &opErr{msg: fmt.Sprintf(format, args...)} }

// resolve looks a secret reference up as op does: each part by its id or,
// case-insensitively, by its name; none is an error naming the part,
// several is an error asking for the id. op://vault/item/field looks the
// field up in every section; op://vault/item/section/field only in that
// section. A file is named like a field.
func (d *Data) resolve(ref string) (string, *opErr) {
	if d.Fail != "" {
		return "", failure(d.Fail)
	}
	rest, ok := strings.CutPrefix(ref, "op://")
	if !ok {
		return "", fail("invalid secret reference %q: secret references should match op://<vault>/<item>[/<section>]/<field>", ref)
	}
	path, query, _ := strings.Cut(rest, "?")
	parts := strings.Split(path, "/")
	if len(parts) < 3 {
		return "", fail("invalid secret reference %q: not enough '/': secret references should match op://<vault>/<item>[/<section>]/<field>", ref)
	}
	if len(parts) > 4 {
		return "", fail("invalid secret reference %q: too many '/': secret references should match op://<vault>/<item>[/<section>]/<field>", ref)
	}
	for _, p := range parts {
		if p == "" {
			return "", fail("invalid secret reference %q: empty path segment", ref)
		}
	}
	vault, err := d.vault(parts[0])
	if err != nil {
		return "", err
	}
	item, err := vault.item(parts[1])
	if err != nil {
		return "", err
	}
	switch {
	case item.KilledOnce:
		d.killOnce(item)
	}
	switch {
	case item.Hang:
		return "", &opErr{hang: true}
	case item.Fail != "":
		return "", failure(item.Fail)
	}
	section := ""
	if len(parts) == 4 {
		s, err := item.section(parts[2])
		if err != nil {
			return "", err
		}
		section = s.ID
	}
	f, err := item.field(parts[len(parts)-1], section, len(parts) == 4)
	if err != nil {
		return "", err
	}
	return f.attribute(query)
}

// failure is a whole-call failure of the given kind.
func failure(kind string) *opErr {
	switch kind {
	case "network":
		return fail(`error initializing client: authenticating with the server: Post "https://my.1password.com/api/v3/auth/start": dial tcp: lookup my.1password.com: no such host`)
	case "ratelimit":
		return fail("(429) Too Many Requests: You've reached the maximum number of requests this service account can make. Try again later.")
	case "unauthorized":
		return fail("(401) Unauthorized: You aren't authorized to perform this action.")
	case "permission":
		return fail("(403) Forbidden: You don't have the right permissions to access this item.")
	}
	return fail("fakeop: unknown failure %q", kind)
}

func (d *Data) vault(name string) (*Vault, *opErr) {
	var found []*Vault
	for i := range d.Vaults {
		if v := &d.Vaults[i]; v.ID == name || strings.EqualFold(v.Name, name) {
			found = append(found, v)
		}
	}
	switch len(found) {
	case 0:
		return nil, fail("%q isn't a vault in this account. Specify the vault with its ID or name.", name)
	case 1:
		return found[0], nil
	}
	return nil, fail("More than one vault matches %q. Try again and specify the vault by its ID:\n%s", name, vaultList(found))
}

func (v *Vault) item(name string) (*Item, *opErr) {
	var found []*Item
	for i := range v.Items {
		if it := &v.Items[i]; it.ID == name || strings.EqualFold(it.Title, name) {
			found = append(found, it)
		}
	}
	switch len(found) {
	case 0:
		return nil, fail("%q isn't an item in the %q vault. Specify the item with its UUID, name, or domain.", name, v.Name)
	case 1:
		return found[0], nil
	}
	var ids []string
	for _, it := range found {
		ids = append(ids, "\t* for the item "+it.Title+" in vault "+v.Name+": "+it.ID)
	}
	return nil, fail("More than one item matches %q. Try again and specify the item by its ID:\n%s", name, strings.Join(ids, "\n"))
}

func (it *Item) section(name string) (*Section, *opErr) {
	var found []*Section
	for i := range it.Sections {
		if s := &it.Sections[i]; s.ID == name || strings.EqualFold(s.Label, name) {
			found = append(found, s)
		}
	}
	switch len(found) {
	case 0:
		return nil, fail("%q isn't a section in the %q item.", name, it.Title)
	case 1:
		return found[0], nil
	}
	return nil, fail("More than one section matches %q. Try again and specify the section by its ID.", name)
}

// match is a field or a file a reference's last part names.
type match struct {
	typ, value string
	section    string
}

// field finds the field or file a reference's last part names: in the
// section given, else anywhere in the item, where one of the item's
// default section wins over namesakes in named sections.
func (it *Item) field(name, section string, inSection bool) (*match, *opErr) {
	var found []match
	for _, f := range it.Fields {
		if (!inSection || f.Section == section) && (f.ID == name || strings.EqualFold(f.Label, name)) {
			typ := f.Type
			if typ == "" {
				typ = "CONCEALED"
			}
			found = append(found, match{typ: typ, value: f.Value, section: f.Section})
		}
	}
	for _, f := range it.Files {
		if (!inSection || f.Section == section) && (f.ID == name || f.Name == name) {
			found = append(found, match{typ: "FILE", value: f.Content, section: f.Section})
		}
	}
	if !inSection && len(found) > 1 {
		var top []match
		for _, m := range found {
			if m.section == "" {
				top = append(top, m)
			}
		}
		if len(top) > 0 {
			found = top
		}
	}
	switch len(found) {
	case 0:
		return nil, fail("%q isn't a field in the %q item.", name, it.Title)
	case 1:
		return &found[0], nil
	}
	return nil, fail("More than one field matches %q. Try again and specify the field by its ID.", name)
}

// attribute answers the query parameters op knows of a field.
func (m *match) attribute(query string) (string, *opErr) {
	switch query {
	case "", "attribute=value":
		return m.value, nil
	case "attribute=type":
		return strings.ToLower(m.typ), nil
	}
	return "", fail("invalid secret reference query %q: unsupported query parameter", query)
}

func vaultList(vs []*Vault) string {
	var lines []string
	for _, v := range vs {
		lines = append(lines, "\t* for the vault "+v.Name+": "+v.ID)
	}
	return strings.Join(lines, "\n")
}

// killOnce kills this process the first time an item is read: O_EXCL on a
// marker beside the data makes exactly one call the first.
func (d *Data) killOnce(item *Item) {
	f, err := os.OpenFile(d.path+".killed."+item.ID, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return // killed before, or the marker cannot be made: answer
	}
	f.Close()
	d.logCall("killed reading %s", item.ID)
	_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
	select {} // the signal is on its way
}
