package fakeconnect

import (
	"crypto/sha256"
	"encoding/base32"
	"strconv"
	"time"
)

// Vault is a vault the server holds.
type Vault struct {
	ID   string
	Name string
}

// Item is an item as a test describes it. Empty ids are filled in by
// AddItem, with 26-character lowercase ids like 1Password's.
type Item struct {
	ID    string
	Title string
	// Category is one of Connect's categories; "" is API_CREDENTIAL.
	Category string
	Sections []Section
	Fields   []Field
	Files    []File
}

// Section is a section of an item.
type Section struct {
	ID    string
	Label string
}

// Field is a field of an item.
type Field struct {
	ID    string
	Label string
	Value string
	// Type is Connect's field type; "" is STRING.
	Type string
	// Purpose is USERNAME, PASSWORD, NOTES or "".
	Purpose string
	// TOTP is the current one-time password Connect computes for an OTP
	// field, "" for other fields.
	TOTP string
	// Section is the id of the section the field belongs to, "" for none.
	Section string
}

// File is a file attached to an item.
type File struct {
	ID      string
	Name    string
	Section string // the section's id, "" for none
	Content []byte
}

// epoch is every object's creation and update time, so that answers are
// reproducible.
var epoch = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// idAlphabet is lowercase base32: 1Password's ids are 26 characters of
// [a-z2-7] (and digits in older ones), the base32 of 16 random bytes.
var idAlphabet = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// newID returns the n-th id of this server: 26 lowercase characters,
// deterministic so that a failing test can be run again.
func newID(n int) string {
	sum := sha256.Sum256([]byte("fakeconnect/" + strconv.Itoa(n)))
	return idAlphabet.EncodeToString(sum[:16])
}

// Wire forms, after Connect's OpenAPI specification (docs/openapi/spec.yaml
// of github.com/1Password/connect): written here rather than borrowed from
// connect-sdk-go, so that the SDK is tested against the documented API
// and not against itself.

type wireVault struct {
	ID               string    `json:"id"`
	Name             string    `json:"name"`
	AttributeVersion int       `json:"attributeVersion"`
	ContentVersion   int       `json:"contentVersion"`
	Items            int       `json:"items"`
	Type             string    `json:"type"`
	CreatedAt        time.Time `json:"createdAt"`
	UpdatedAt        time.Time `json:"updatedAt"`
}

type wireRef struct {
	ID string `json:"id"`
}

// wireItem is an item summary (lists) or, with sections, fields and files,
// a FullItem (GET of one item).
type wireItem struct {
	ID        string        `json:"id"`
	Title     string        `json:"title"`
	Vault     wireRef       `json:"vault"`
	Category  string        `json:"category"`
	Version   int           `json:"version"`
	CreatedAt time.Time     `json:"createdAt"`
	UpdatedAt time.Time     `json:"updatedAt"`
	Sections  []wireSection `json:"sections,omitempty"`
	Fields    []wireField   `json:"fields,omitempty"`
	Files     []wireFile    `json:"files,omitempty"`
}

type wireSection struct {
	ID    string `json:"id"`
	Label string `json:"label,omitempty"`
}

type wireField struct {
	ID      string   `json:"id"`
	Section *wireRef `json:"section,omitempty"`
	Type    string   `json:"type"`
	Purpose string   `json:"purpose,omitempty"`
	Label   string   `json:"label,omitempty"`
	Value   string   `json:"value,omitempty"`
	TOTP    string   `json:"totp,omitempty"`
}

type wireFile struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Size        int      `json:"size"`
	ContentPath string   `json:"content_path"`
	Section     *wireRef `json:"section,omitempty"`
	Content     []byte   `json:"content,omitempty"` // base64, with inline_files=true only
}

// wireError is Connect's ErrorResponse.
type wireError struct {
	Status  int    `json:"status"`
	Message string `json:"message"`
}

func (v *vault) wire() wireVault {
	return wireVault{ID: v.ID, Name: v.Name, AttributeVersion: 1, ContentVersion: len(v.items) + 1,
		Items: len(v.items), Type: "USER_CREATED", CreatedAt: epoch, UpdatedAt: epoch}
}

func (it *Item) summary(vaultID string) wireItem {
	return wireItem{ID: it.ID, Title: it.Title, Vault: wireRef{ID: vaultID}, Category: it.Category,
		Version: 1, CreatedAt: epoch, UpdatedAt: epoch}
}

func (it *Item) full(vaultID string) wireItem {
	w := it.summary(vaultID)
	for _, s := range it.Sections {
		w.Sections = append(w.Sections, wireSection(s))
	}
	for _, f := range it.Fields {
		w.Fields = append(w.Fields, wireField{ID: f.ID, Section: ref(f.Section), Type: f.Type,
			Purpose: f.Purpose, Label: f.Label, Value: f.Value, TOTP: f.TOTP})
	}
	for _, f := range it.Files {
		w.Files = append(w.Files, f.wire(vaultID, it.ID, false))
	}
	return w
}

func (f *File) wire(vaultID, itemID string, inline bool) wireFile {
	w := wireFile{ID: f.ID, Name: f.Name, Size: len(f.Content), Section: ref(f.Section),
		ContentPath: "/v1/vaults/" + vaultID + "/items/" + itemID + "/files/" + f.ID + "/content"}
	if inline {
		w.Content = f.Content
	}
	return w
}

func ref(id string) *wireRef {
	if id == "" {
		return nil
	}
	return &wireRef{ID: id}
}
