package onepassword_test

import (
	"encoding/base64"
	"fmt"

	"github.com/execref/execref/sdk/sdktest"
)

// The fake account the cli tests read. Ids are 26 lowercase letters and
// digits, as 1Password's are.
const (
	privateID = "k2bvzk5tqcu6t5jxelnjn5p4ey"
	openaiID  = "ywcnbwacqpmv5kzfqecbwwq6xa"
	prodID    = "s7prodsectionid00000000000"

	openaiKey     = "sk-live-openai-0123456789"
	openaiSpaced  = "sk-the-field-with-a-space"
	prodToken     = "prod-token-in-a-section"
	rootToken     = "root-token-outside-sections"
	githubToken   = "ghp_0123456789abcdefghij"
	unicodeValue  = "pässwörd-日本語-🔑"
	dollarValue   = "value-behind-a-dollar-name"
	parenValue    = "value-behind-parentheses"
	multilineNote = "line one\nline two\n"
	hashValue     = "value-behind-a-hash-name"
)

// pemValue is a kilobyte-sized, multi-line file, returned byte for byte.
var pemValue = sdktest.PEM(2048)

// opb64 is the encoded id of a reference.
func opb64(ref string) string { return "opb64:" + base64.RawURLEncoding.EncodeToString([]byte(ref)) }

func seedAccount() fakeData {
	bulk := fakeItem{ID: "bulkitem00000000000000000a", Title: "Many"}
	for i := range 512 {
		bulk.Fields = append(bulk.Fields, fakeField{ID: fmt.Sprintf("f%03d", i), Label: fmt.Sprintf("f%03d", i), Value: bulkValue(i)})
	}
	return fakeData{
		Token: cliToken,
		Vaults: []fakeVault{
			{ID: privateID, Name: "Private", Items: []fakeItem{
				{ID: openaiID, Title: "OpenAI",
					Sections: []fakeSection{{ID: prodID, Label: "prod"}},
					Fields: []fakeField{
						{ID: "apikeyfield000000000000000", Label: "api-key", Value: openaiKey},
						{ID: "spacedfield000000000000000", Label: "api key", Value: openaiSpaced},
						{ID: "prodtoken00000000000000000", Label: "token", Value: prodToken, Section: prodID},
						{ID: "roottoken00000000000000000", Label: "root-token", Value: rootToken},
						{ID: "notesfield0000000000000000", Label: "notes", Value: multilineNote},
						{ID: "hashfield00000000000000000", Label: "key#1", Value: hashValue},
					}},
				{ID: "githubitem0000000000000000", Title: "GitHub",
					Fields: []fakeField{{ID: "ghtoken0000000000000000000", Label: "token", Value: githubToken}},
					Files:  []fakeFile{{ID: "pemfile0000000000000000000", Name: "deploy.pem", Content: pemValue}}},
				{ID: "twinone0000000000000000000", Title: "Twin", Fields: []fakeField{{ID: "p1", Label: "password", Value: "twin-one"}}},
				{ID: "twintwo0000000000000000000", Title: "Twin", Fields: []fakeField{{ID: "p2", Label: "password", Value: "twin-two"}}},
				{ID: "dupfields00000000000000000", Title: "Dup", Fields: []fakeField{
					{ID: "d1", Label: "password", Value: "dup-one"}, {ID: "d2", Label: "password", Value: "dup-two"}}},
				{ID: "dollaritem000000000000000a", Title: "Pay $HOME", Fields: []fakeField{{ID: "dl", Label: "password", Value: dollarValue}}},
				{ID: "parenitem00000000000000000", Title: "mysql (work)", Fields: []fakeField{{ID: "pw", Label: "password", Value: parenValue}}},
				{ID: "slowitem000000000000000000", Title: "Slow", Hang: true, Fields: []fakeField{{ID: "s", Label: "password", Value: "never"}}},
				{ID: "lockeditem0000000000000000", Title: "Locked", Fail: "permission", Fields: []fakeField{{ID: "l", Label: "password", Value: "never"}}},
				{ID: "throttled00000000000000000", Title: "Throttled", Fail: "ratelimit", Fields: []fakeField{{ID: "t", Label: "password", Value: "never"}}},
			}},
			{ID: "teamvault00000000000000000", Name: "Team Vault", Items: []fakeItem{
				{ID: "myitem00000000000000000000", Title: "My Item", Fields: []fakeField{{ID: "u", Label: "api key", Value: unicodeValue}}},
			}},
			{ID: "sharedone00000000000000000", Name: "Shared", Items: []fakeItem{{ID: "x1", Title: "X", Fields: []fakeField{{ID: "y", Label: "y", Value: "shared-one"}}}}},
			{ID: "sharedtwo00000000000000000", Name: "Shared", Items: []fakeItem{{ID: "x2", Title: "X", Fields: []fakeField{{ID: "y", Label: "y", Value: "shared-two"}}}}},
			{ID: "bulkvault00000000000000000", Name: "Bulk", Items: []fakeItem{bulk}},
		},
	}
}

func bulkValue(i int) string { return fmt.Sprintf("bulk-value-%03d-%x", i, i*7919) }

// seedValues are ids of every form the cli tests expect to resolve, and
// their values.
func seedValues() map[string]string {
	return map[string]string{
		"Private/OpenAI/api-key":                        openaiKey,
		"op://Private/OpenAI/api-key":                   openaiKey,
		"Private/OpenAI/prod/token":                     prodToken,
		"Private/OpenAI/token":                          prodToken, // the only "token" of the item, in a section
		"Private/OpenAI/root-token":                     rootToken,
		"Private/OpenAI/notes":                          multilineNote,
		"Private/OpenAI/key#1":                          hashValue, // "#" is not for a template: op read
		privateID + "/" + openaiID + "/api-key":         openaiKey,
		"private/openai/API-KEY":                        openaiKey, // op folds case
		opb64("op://Private/OpenAI/api key"):            openaiSpaced,
		opb64("Team Vault/My Item/api key"):             unicodeValue,
		"Private/GitHub/token":                          githubToken,
		"Private/GitHub/deploy.pem":                     pemValue,
		opb64("op://Private/Pay $HOME/password"):        dollarValue,
		opb64("op://Private/mysql (work)/password"):     parenValue,
		"Private/" + openaiID + "/" + prodID + "/token": prodToken,
	}
}
