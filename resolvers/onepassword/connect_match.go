package onepassword

import (
	"fmt"
	"slices"
	"strings"

	"github.com/1Password/connect-sdk-go/onepassword"

	"github.com/execref/execref/protocol"
)

// Matching a reference's parts against what Connect lists, the way 1Password
// resolves a secret reference: each part names a vault, item, section or
// field by its id or by its name, and names ignore case ("secret references
// are case-insensitive"). An exact id wins over names: 1Password's advice
// for duplicate names is to use the id, which must then pick that one
// object even if it is also another object's name. A name that several
// objects share is AMBIGUOUS_DUPLICATE_KEY, never the first of them.

// matchIDOrName returns the candidates q names: those whose id is q, or
// else those whose name equals q with case ignored.
func matchIDOrName[T any](q string, all []T, id, name func(T) string) []T {
	var byID, byName []T
	for _, c := range all {
		switch {
		case id(c) == q:
			byID = append(byID, c)
		case strings.EqualFold(name(c), q):
			byName = append(byName, c)
		}
	}
	if len(byID) > 0 {
		return byID
	}
	return byName
}

// pickVault finds the vault q names among those the token can read.
func pickVault(vaults []onepassword.Vault, q string) (onepassword.Vault, error) {
	m := matchIDOrName(q, vaults, func(v onepassword.Vault) string { return v.ID }, func(v onepassword.Vault) string { return v.Name })
	switch len(m) {
	case 1:
		return m[0], nil
	case 0:
		return onepassword.Vault{}, fmt.Errorf("%w: no vault %q among the %d vaults this Connect token can read (a vault outside the token's scope is not listed)", protocol.NotFound, q, len(vaults))
	}
	ids := make([]string, len(m))
	for i, v := range m {
		ids[i] = v.ID
	}
	return onepassword.Vault{}, fmt.Errorf("%w: %d vaults are named %q (ids %s); use the vault's id", protocol.AmbiguousDuplicateKey, len(m), q, idList(ids))
}

// pickItem finds the item q names among a vault's item summaries.
func pickItem(items []onepassword.Item, q, vault string) (onepassword.Item, error) {
	m := matchIDOrName(q, items, func(it onepassword.Item) string { return it.ID }, func(it onepassword.Item) string { return it.Title })
	switch len(m) {
	case 1:
		return m[0], nil
	case 0:
		return onepassword.Item{}, fmt.Errorf("%w: no item %q in vault %q", protocol.NotFound, q, vault)
	}
	ids := make([]string, len(m))
	for i, it := range m {
		ids[i] = it.ID
	}
	return onepassword.Item{}, fmt.Errorf("%w: %d items in vault %q are titled %q (ids %s); use the item's id", protocol.AmbiguousDuplicateKey, len(m), vault, q, idList(ids))
}

// fieldTarget is what a reference's last part names in an item: a field,
// or an attached file (1Password's references name files by file name).
type fieldTarget struct {
	field *onepassword.ItemField
	file  *onepassword.File
}

func (t fieldTarget) id() string {
	if t.file != nil {
		return t.file.ID
	}
	return t.field.ID
}

func (t fieldTarget) name() string {
	if t.file != nil {
		return t.file.Name
	}
	return t.field.Label
}

// pickField finds the field or file r names in the item: among those of
// the sections r's section names, or, when r names no section, among all
// of them, those of the default section first (the rule of 1Password's
// SDKs: "retrieving a field from the item's default field section is
// possible even if there is an identically named field in one of the
// item's named sections"). where describes the item for messages.
func pickField(it *onepassword.Item, r reference, where string) (fieldTarget, error) {
	var all []fieldTarget
	for _, f := range it.Fields {
		if f != nil {
			all = append(all, fieldTarget{field: f})
		}
	}
	for _, f := range it.Files {
		if f != nil {
			all = append(all, fieldTarget{file: f})
		}
	}
	in := ""
	if r.section != "" {
		sections, err := pickSections(it, r.section, where)
		if err != nil {
			return fieldTarget{}, err
		}
		all = slices.DeleteFunc(all, func(t fieldTarget) bool { return !slices.Contains(sections, t.sectionID()) })
		in = fmt.Sprintf(" in section %q", r.section)
	}
	m := matchIDOrName(r.field, all, fieldTarget.id, fieldTarget.name)
	if r.section == "" && len(m) > 1 {
		// 1Password's rule for a reference without a section: a field of
		// the item's default section wins over namesakes in named ones.
		if top := slices.DeleteFunc(slices.Clone(m), func(t fieldTarget) bool { return t.sectionID() != "" }); len(top) > 0 {
			m = top
		}
	}
	switch len(m) {
	case 1:
		return m[0], nil
	case 0:
		return fieldTarget{}, fmt.Errorf("%w: %s has no field or file %q%s", protocol.NotFound, where, r.field, in)
	}
	ids := make([]string, len(m))
	for i, t := range m {
		ids[i] = t.id()
	}
	return fieldTarget{}, fmt.Errorf("%w: %d fields of %s are named %q%s (ids %s); use the field's id, or name its section", protocol.AmbiguousDuplicateKey, len(m), where, r.field, in, idList(ids))
}

func (t fieldTarget) sectionID() string {
	var s *onepassword.ItemSection
	if t.file != nil {
		s = t.file.Section
	} else {
		s = t.field.Section
	}
	if s == nil {
		return ""
	}
	return s.ID
}

// pickSections returns the ids of the sections q names. Several sections
// may share a label: the field is then looked for in all of them, and is
// ambiguous only if more than one holds it. A field's section is given
// by id; q may also be such an id although the item lists no section
// with it.
func pickSections(it *onepassword.Item, q, where string) ([]string, error) {
	var sections []onepassword.ItemSection
	for _, s := range it.Sections {
		if s != nil {
			sections = append(sections, *s)
		}
	}
	m := matchIDOrName(q, sections, func(s onepassword.ItemSection) string { return s.ID }, func(s onepassword.ItemSection) string { return s.Label })
	ids := make([]string, 0, len(m))
	for _, s := range m {
		ids = append(ids, s.ID)
	}
	if len(ids) == 0 {
		for _, f := range it.Fields {
			if f != nil && f.Section != nil && f.Section.ID == q {
				ids = append(ids, q)
				break
			}
		}
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("%w: %s has no section %q", protocol.NotFound, where, q)
	}
	return ids, nil
}

// idList shows a few ids, which are no secret, to choose from.
func idList(ids []string) string {
	const show = 5
	if len(ids) > show {
		return strings.Join(ids[:show], ", ") + fmt.Sprintf(" and %d more", len(ids)-show)
	}
	return strings.Join(ids, ", ")
}
