package doctor

// scrub replaces, in every text of the report, each value the run saw
// (resolved values, secret-looking env and passEnv values) with the
// redaction placeholder. Doctor's own texts never hold one; a resolver's
// message or stderr, and a self-check's detail, come from outside.
func (d *doctor) scrub(rep *Report) {
	s := d.red.String
	for i := range rep.Notes {
		rep.Notes[i] = s(rep.Notes[i])
	}
	scrubFindings := func(fs []Finding) {
		for i := range fs {
			fs[i].Detail, fs[i].Fix = s(fs[i].Detail), s(fs[i].Fix)
		}
	}
	scrubFindings(rep.Findings)
	for i := range rep.Providers {
		scrubFindings(rep.Providers[i].Findings)
	}
	for i := range rep.Refs {
		r := &rep.Refs[i]
		r.Gateway, r.Reason, r.Fix = s(r.Gateway), s(r.Reason), s(r.Fix)
	}
}
