package protocol

import "embed"

// Schemas holds the JSON Schemas (draft 2020-12) of the request and the
// response: schema/request.schema.json and schema/response.schema.json.
//
//go:embed schema/*.schema.json
var Schemas embed.FS
