package doctor

import (
	"encoding/json"
	"io"
)

// WriteJSON renders the report as one indented JSON object, the Report
// type's fields, for machines.
func WriteJSON(w io.Writer, rep *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}
